using Mindora.Hosting;

namespace Mindora.Hosting.Tests;

public class CommandLineTests
{
    [Fact]
    public void AppHost_switches_become_options()
    {
        var builder = MindoraApplication.CreateBuilder(["--runtime", "embedded", "--data-dir=/tmp/mindora-x", "--dashboard-url", "http://127.0.0.1:19999", "--unsecured", "--shutdown-timeout", "2.5"]);

        Assert.Equal(RuntimePreference.Embedded, builder.Options.Runtime);
        Assert.Equal("/tmp/mindora-x", builder.Options.DataDirectory);
        Assert.Equal(19999, builder.Options.DashboardUrl.Port);
        Assert.True(builder.Options.Unsecured);
        Assert.Equal(TimeSpan.FromSeconds(2.5), builder.Options.ShutdownTimeout);
    }

    [Fact]
    public void Defaults_are_auto_runtime_dot_mindora_and_port_18888_with_a_token()
    {
        var builder = MindoraApplication.CreateBuilder([]);

        Assert.Equal(RuntimePreference.Auto, builder.Options.Runtime);
        Assert.Equal(Path.GetFullPath(".mindora"), builder.Options.DataDirectory);
        Assert.Equal(18888, builder.Options.DashboardUrl.Port);
        Assert.False(builder.Options.Unsecured);
    }

    [Fact]
    public void Per_resource_runtime_comes_from_configuration()
    {
        var builder = MindoraApplication.CreateBuilder(["--runtime", "process", "--Mindora:Resources:redis:Runtime=embedded"]);
        var redis = builder.AddRedis("redis");
        var rabbit = builder.AddRabbitMQ("rabbit");

        Assert.Equal(RuntimePreference.Embedded, builder.Options.RuntimeFor(redis.Resource));
        Assert.Equal(RuntimePreference.Process, builder.Options.RuntimeFor(rabbit.Resource));
    }

    [Theory]
    [InlineData("--runtime", "kubernetes", "allowed: auto, embedded, process, container")]
    [InlineData("--dashboard-url", "ftp://x", "http URL")]
    [InlineData("--shutdown-timeout", "soon", "number of seconds")]
    public void Bad_option_values_are_rejected_saying_what_is_allowed(string option, string value, string expected)
    {
        var error = Assert.Throws<MindoraHostingException>(() => MindoraApplication.CreateBuilder([option, value]));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_option_without_its_value_is_rejected()
    {
        var error = Assert.Throws<MindoraHostingException>(() => MindoraApplication.CreateBuilder(["--data-dir"]));

        Assert.Contains("needs a value", error.Message, StringComparison.Ordinal);
    }
}
