using Mindora.Integrations.Cache;
using Mindora.Integrations.Tests.Redis;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Cache;

/// <summary>The cache suite on the embedded store: every instance opens the same directory, as the processes of one machine do.</summary>
public sealed class EmbeddedCacheTests(TempDirectory temp) : CacheSuite, IClassFixture<TempDirectory>
{
    private readonly string _directory = temp.NewStoreDirectory();

    [Fact]
    public async Task Cleanup_deletes_expired_entries_that_reads_already_ignore()
    {
        await using var provider = new EmbeddedCacheProvider(_directory, TestOptions(), TimeProvider.System);
        var cache = new MindoraCache(provider, "cleanup", TestOptions(), null, TimeProvider.System);
        await provider.CleanupAsync(CancellationToken.None);
        foreach (var key in new[] { "a", "b", "c" })
        {
            await cache.SetAsync(key, key, TimeSpan.FromMilliseconds(50));
        }

        await cache.SetAsync("kept", "kept", TimeSpan.FromMinutes(5));
        await Eventually.TrueAsync(async () => await cache.GetAsync<string>("c") is null, "the short values to expire");

        Assert.Equal(3, await provider.CleanupAsync(CancellationToken.None));
        Assert.Equal(0, await provider.CleanupAsync(CancellationToken.None));
        Assert.Equal("kept", await cache.GetAsync<string>("kept"));
    }

    protected override Task<string> NewAppAsync() => Task.FromResult("app-" + Guid.NewGuid().ToString("N")[..10]);

    private protected override ICacheProvider OpenProvider(string app) => new EmbeddedCacheProvider(_directory, TestOptions(), TimeProvider.System);
}
