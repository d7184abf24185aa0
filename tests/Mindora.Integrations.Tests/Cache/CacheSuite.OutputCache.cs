using System.Text;
using Mindora.Integrations.Tests.Redis;

namespace Mindora.Integrations.Tests.Cache;

/// <summary>The <c>IOutputCacheStore</c> view, on every store.</summary>
public abstract partial class CacheSuite
{
    // ASP.NET Core's own key shape: record separators (control characters) between the parts.
    private const string PageKey = "GET\u001eHTTP\u001eLOCALHOST:5180/SEARCH\u001eQ=VECTORS";

    [Fact]
    public async Task Output_cache_entries_are_shared_by_instances_and_evicting_a_tag_drops_only_its_entries()
    {
        var app = await NewAppAsync();
        var first = Open(app).OutputCacheStore;
        var second = Open(app).OutputCacheStore;
        var page = Encoding.UTF8.GetBytes("<p>results</p>");
        var other = Encoding.UTF8.GetBytes("<p>other</p>");

        await first.SetAsync(PageKey, page, ["search", "documents"], TimeSpan.FromMinutes(5), default);
        await first.SetAsync("GET\u001e/health-page", other, ["status"], TimeSpan.FromMinutes(5), default);
        await first.SetAsync("untagged " + new string('x', 5000), other, null, TimeSpan.FromMinutes(5), default);

        Assert.Equal(page, await second.GetAsync(PageKey, default));
        await second.EvictByTagAsync("documents", default);

        Assert.Null(await first.GetAsync(PageKey, default));
        Assert.Equal(other, await first.GetAsync("GET\u001e/health-page", default));
        Assert.Equal(other, await first.GetAsync("untagged " + new string('x', 5000), default));
        await first.SetAsync(PageKey, other, ["search", "documents"], TimeSpan.FromMinutes(5), default);
        Assert.Equal(other, await second.GetAsync(PageKey, default));
    }

    [Fact]
    public async Task An_output_cache_entry_expires_after_its_valid_for_and_is_invisible_to_other_apps()
    {
        var owner = Open(await NewAppAsync()).OutputCacheStore;
        var intruder = Open(await NewAppAsync()).OutputCacheStore;
        var page = Encoding.UTF8.GetBytes("private page");

        await owner.SetAsync(PageKey, page, ["search"], TimeSpan.FromMilliseconds(300), default);
        await owner.SetAsync("kept", page, ["search"], TimeSpan.FromMinutes(5), default);

        Assert.Null(await intruder.GetAsync("kept", default));
        await intruder.EvictByTagAsync("search", default);
        Assert.Equal(page, await owner.GetAsync("kept", default));
        await Eventually.TrueAsync(async () => await owner.GetAsync(PageKey, default) is null, "the entry's valid-for", 10);
    }

    [Fact]
    public async Task Bad_output_cache_input_is_refused_before_anything_is_written()
    {
        var store = Open(await NewAppAsync()).OutputCacheStore;

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.SetAsync(string.Empty, [1], null, TimeSpan.FromMinutes(1), default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.SetAsync("k", [1], null, TimeSpan.Zero, default));
        await Assert.ThrowsAsync<MindoraPayloadTooLargeException>(async () => await store.SetAsync("k", new byte[128 * 1024], null, TimeSpan.FromMinutes(1), default));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.EvictByTagAsync(string.Empty, default));
        Assert.Null(await store.GetAsync("k", default));
    }
}
