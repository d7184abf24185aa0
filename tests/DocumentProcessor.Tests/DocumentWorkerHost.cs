using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace DocumentProcessor.Tests;

/// <summary>
/// The worker side of the sample, in the test process: a host with <c>AddMindora("docs")</c> on the
/// same embedded stores and the SDK's real worker engine running the ingestion handlers.
/// </summary>
public sealed class DocumentWorkerHost : IAsyncDisposable
{
    private readonly IHost _host;

    private DocumentWorkerHost(IHost host) => _host = host;

    public static async Task<DocumentWorkerHost> StartAsync(TestStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = "Testing",
            ContentRootPath = store.Root,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(store.ConnectionStrings);
        builder.AddMindora("docs");
        builder.AddMindoraWorker(worker =>
        {
            worker.Concurrency = 2;
            worker.IdleWait = TimeSpan.FromMilliseconds(200);
            worker.DrainTimeout = TimeSpan.FromSeconds(5);
        }).AddDocumentIngestion();

        var host = builder.Build();
        await host.StartAsync();
        return new DocumentWorkerHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
