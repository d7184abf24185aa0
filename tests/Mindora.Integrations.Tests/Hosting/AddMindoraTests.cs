using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Mindora.Integrations.Files;
using Mindora.Integrations.Search;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Hosting;

public sealed class AddMindoraTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public void Add_mindora_registers_only_capabilities_whose_connection_strings_are_present()
    {
        var builder = HostBuilders.Create(
            ("ConnectionStrings:files", MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory())),
            ("ConnectionStrings:elasticsearch", MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory())));

        builder.AddMindora("docs");
        using var host = builder.Build();

        Assert.Equal("docs", host.Services.GetRequiredService<MindoraAppContext>().AppName);
        Assert.NotNull(host.Services.GetService<IMindoraFiles>());
        Assert.NotNull(host.Services.GetService<IMindoraSearch>());
        Assert.Null(host.Services.GetService<ITaskQueue>());
        Assert.Null(host.Services.GetService<ITaskBroker>());
    }

    [Fact]
    public void Task_queue_and_broker_are_one_instance()
    {
        var builder = HostBuilders.Create(("ConnectionStrings:redis", MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory())));

        builder.AddMindora("docs");
        using var host = builder.Build();

        Assert.Same(host.Services.GetRequiredService<ITaskQueue>(), host.Services.GetRequiredService<ITaskBroker>());
    }

    [Fact]
    public void Connection_names_can_be_changed()
    {
        var builder = HostBuilders.Create(("ConnectionStrings:objects", MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory())));

        builder.AddMindora("docs", o => o.FilesConnectionName = "objects");
        using var host = builder.Build();

        Assert.NotNull(host.Services.GetService<IMindoraFiles>());
    }

    [Fact]
    public async Task Capability_works_end_to_end_through_the_host()
    {
        var builder = HostBuilders.Create(("ConnectionStrings:files", MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory())));
        builder.AddMindora("docs");
        using var host = builder.Build();
        var files = host.Services.GetRequiredService<IMindoraFiles>();

        await files.EnsureBucketAsync("b");
        await files.UploadAsync("b", "k", new MemoryStream([1, 2, 3]));

        Assert.True(await files.ExistsAsync("b", "k"));
    }

    [Fact]
    public void Options_are_bound_from_configuration_and_configure_delegate()
    {
        var builder = HostBuilders.Create(
            ("Mindora:App", "docs"),
            ("ConnectionStrings:files", MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory())),
            ("ConnectionStrings:redis", MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory())),
            ("Mindora:Files:MaxUploadBytes", "1234"),
            ("Mindora:Tasks:PollInterval", "00:00:01"));

        builder.AddMindoraFiles();
        builder.AddMindoraTasks(configure: o => o.MaxPayloadBytes = 99);
        using var host = builder.Build();

        Assert.Equal(1234, host.Services.GetRequiredService<IOptions<MindoraFilesOptions>>().Value.MaxUploadBytes);
        var tasks = host.Services.GetRequiredService<IOptions<MindoraTasksOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(1), tasks.PollInterval);
        Assert.Equal(99, tasks.MaxPayloadBytes);
        Assert.Equal("docs", host.Services.GetRequiredService<MindoraAppContext>().AppName);
    }

    [Fact]
    public void Adding_a_capability_twice_registers_it_once()
    {
        var builder = HostBuilders.Create(("ConnectionStrings:files", MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory())));

        builder.AddMindora("docs");
        builder.AddMindoraFiles();
        using var host = builder.Build();

        Assert.Single(host.Services.GetServices<IMindoraFiles>());
    }

    [Fact]
    public void Single_capability_without_an_app_name_is_a_configuration_error()
    {
        var builder = HostBuilders.Create(("ConnectionStrings:files", MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory())));

        var error = Assert.Throws<MindoraConfigurationException>(() => builder.AddMindoraFiles());

        Assert.Contains("AddMindora(appName)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_connection_string_for_a_single_capability_is_a_configuration_error()
    {
        var builder = HostBuilders.Create(("Mindora:App", "docs"));

        var error = Assert.Throws<MindoraConfigurationException>(() => builder.AddMindoraSearch());

        Assert.Contains("elasticsearch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_app_name_is_rejected()
    {
        var builder = HostBuilders.Create();
        Assert.Throws<MindoraInvalidNameException>(() => builder.AddMindora("Not Valid"));
    }

    [Fact]
    public void A_second_different_app_name_is_rejected()
    {
        var builder = HostBuilders.Create();
        builder.AddMindora("docs");

        Assert.Throws<MindoraConfigurationException>(() => builder.AddMindora("other"));
    }

    [Fact]
    public void S3_connection_string_selects_the_s3_provider()
    {
        var builder = HostBuilders.Create(("ConnectionStrings:files", "Endpoint=http://127.0.0.1:9;AccessKey=admin;SecretKey=s3cr3t-value"));
        builder.AddMindora("docs");
        using var host = builder.Build();

        Assert.IsType<S3FilesProvider>(host.Services.GetRequiredService<IFilesProvider>());
    }

    [Theory]
    [InlineData("Endpoint=ftp://minio:9000;AccessKey=admin;SecretKey=s3cr3t-value")]
    [InlineData("Endpoint=http://minio:9000;SecretKey=s3cr3t-value")]
    [InlineData("Endpoint=http://minio:9000;AccessKey=admin")]
    [InlineData("Endpoint=http://minio:9000;AccessKey=admin;SecretKey=s3cr3t-value;=broken")]
    public void Malformed_s3_connection_string_fails_at_registration_without_leaking_it(string connectionString)
    {
        var builder = HostBuilders.Create(("ConnectionStrings:files", connectionString));

        var error = Assert.Throws<MindoraConfigurationException>(() => builder.AddMindora("docs"));

        Assert.Contains("Endpoint=http(s)://host:port;AccessKey=", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Elasticsearch_connection_string_selects_the_server_provider()
    {
        var builder = HostBuilders.Create(("ConnectionStrings:elasticsearch", "http://elastic:s3cr3t-value@search:9200"));
        builder.AddMindora("docs");

        using var host = builder.Build();

        Assert.IsType<Mindora.Integrations.Search.Elasticsearch.ElasticsearchSearchProvider>(host.Services.GetRequiredService<IMindoraSearch>());
    }

    [Fact]
    public void Malformed_elasticsearch_connection_string_fails_at_registration_without_leaking_it()
    {
        var builder = HostBuilders.Create(("ConnectionStrings:elasticsearch", "elastic:s3cr3t-value@search:9200"));

        var error = Assert.Throws<MindoraConfigurationException>(() => builder.AddMindora("docs"));

        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Relative_embedded_directory_is_a_configuration_error()
    {
        var builder = HostBuilders.Create(("ConnectionStrings:files", "Embedded=relative/dir"));
        Assert.Throws<MindoraConfigurationException>(() => builder.AddMindora("docs"));
    }
}
