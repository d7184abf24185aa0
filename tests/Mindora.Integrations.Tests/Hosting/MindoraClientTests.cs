using Mindora.Integrations.Search;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Hosting;

public sealed class MindoraClientTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public async Task Client_serves_the_capabilities_it_has_connection_strings_for()
    {
        var dir = temp.NewStoreDirectory();
        await using var client = MindoraClient.Create("docs", new Dictionary<string, string>
        {
            ["Redis"] = MindoraConnectionString.ForEmbedded(dir),
            ["elasticsearch"] = MindoraConnectionString.ForEmbedded(dir),
        });

        var task = await client.Tasks.EnqueueAsync("t", new { a = 1 });
        var lease = await client.Broker.TryClaimAsync(["default"], "script", TimeSpan.FromMinutes(1));
        await client.Search.EnsureIndexAsync("notes");
        await client.Search.IndexAsync("notes", new SearchDocument("1", "Hello", "world"));
        await client.Cache.SetAsync("greeting", "hello");

        Assert.Equal(task.Id, lease?.Task.Id);
        Assert.Equal(1, (await client.Search.SearchAsync("notes", new SearchQuery("world"))).Total);
        Assert.Equal("hello", await client.Cache.GetAsync<string>("greeting"));
        var error = Assert.Throws<MindoraConfigurationException>(() => client.Files);
        Assert.Contains("files", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_rejects_server_connection_strings_and_bad_app_names()
    {
        Assert.Throws<MindoraConfigurationException>(() => MindoraClient.Create("docs", new Dictionary<string, string> { ["files"] = "Endpoint=http://minio:9000" }));
        Assert.Throws<MindoraInvalidNameException>(() => MindoraClient.Create("Bad", new Dictionary<string, string>()));
    }

    [Fact]
    public async Task Client_without_tasks_explains_what_is_missing()
    {
        await using var client = MindoraClient.Create("docs", new Dictionary<string, string>());

        Assert.Throws<MindoraConfigurationException>(() => client.Tasks);
        Assert.Throws<MindoraConfigurationException>(() => client.Broker);
        Assert.Throws<MindoraConfigurationException>(() => client.Search);
        Assert.Throws<MindoraConfigurationException>(() => client.Cache);
        Assert.IsAssignableFrom<ITaskQueue>(MindoraClient.Create("docs", new Dictionary<string, string> { ["redis"] = MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory()) }).Tasks);
    }
}
