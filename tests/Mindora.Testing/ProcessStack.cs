using Mindora.Hosting;

namespace Mindora.Testing;

/// <summary>The AppHost builder tests start real servers with: process runtime, random ports, quiet logs.</summary>
internal static class ProcessStack
{
    public static MindoraApplicationBuilder CreateBuilder(string dataDirectory)
    {
        var builder = MindoraApplication.CreateBuilder(["--runtime", "process", "--strict"]);
        builder.Options.DataDirectory = dataDirectory;
        builder.Options.DashboardUrl = new Uri("http://127.0.0.1:0");
        builder.Options.RandomizePorts = true;
        builder.Options.ShutdownTimeout = TimeSpan.FromSeconds(5);
        builder.HandleSignals = false;
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        return builder;
    }
}
