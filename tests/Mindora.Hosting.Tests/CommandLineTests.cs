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
    public void Elasticsearch_home_and_heap_come_from_configuration()
    {
        var builder = MindoraApplication.CreateBuilder(["--Mindora:Elasticsearch:Home=/opt/elasticsearch-8.17.4", "--Mindora:Elasticsearch:HeapMegabytes=1024"]);

        Assert.Equal("/opt/elasticsearch-8.17.4", builder.Options.ElasticsearchHome);
        Assert.Equal(1024, builder.Options.ElasticsearchHeapMegabytes);
        Assert.Equal(512, MindoraApplication.CreateBuilder([]).Options.ElasticsearchHeapMegabytes);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("-512")]
    [InlineData("100")]
    [InlineData("65536")]
    public void An_Elasticsearch_heap_outside_what_a_node_can_use_is_rejected(string heap)
    {
        var error = Assert.Throws<MindoraHostingException>(() => MindoraApplication.CreateBuilder([$"--Mindora:Elasticsearch:HeapMegabytes={heap}"]));

        Assert.Contains("between 256 and 31744", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_option_without_its_value_is_rejected()
    {
        var error = Assert.Throws<MindoraHostingException>(() => MindoraApplication.CreateBuilder(["--data-dir"]));

        Assert.Contains("needs a value", error.Message, StringComparison.Ordinal);
    }
}
