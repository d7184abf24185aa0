using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mindora.Integrations.Cache;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Search;

namespace DocumentProcessor.Tests;

/// <summary>The Documents options are checked when the app starts, not at the first request.</summary>
public sealed class DocumentApiConfigurationTests : IDisposable
{
    private readonly TestStore _store = new();

    [Theory]
    [InlineData("Documents:MaxUploadBytes", "0")]
    [InlineData("Documents:MaxUploadBytes", "-1")]
    [InlineData("Documents:MaxUploadBytes", "9223372036854775807")]
    [InlineData("Documents:MaxSearchResults", "0")]
    [InlineData("Documents:MaxSearchResults", "101")]
    [InlineData("Documents:SearchCacheTimeToLive", "-00:00:01")]
    [InlineData("Documents:SearchCacheTimeToLive", "2.00:00:00")]
    public async Task Out_of_range_document_limit_stops_the_app_at_start(string key, string value)
    {
        // The sample's own registration on a bare host: through WebApplicationFactory a start
        // that fails races the factory's deferred host, which then reports ObjectDisposedException.
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.Services.AddDocumentApi(builder.Configuration);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = builder.Build();
            await app.StartAsync();
        });

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_cache_time_to_live_of_zero_turns_the_cache_off()
    {
        using var factory = new DocumentApiFactory(_store, new Dictionary<string, string?> { ["Documents:SearchCacheTimeToLive"] = "00:00:00" });
        using var client = factory.CreateClient();
        var before = await client.GetFromJsonAsync<JsonElement>(new Uri("/search?q=pangolin", UriKind.Relative));
        await HiddenChunks.SaveAsync(factory.Services, "Pangolin", "Pangolin scales.");
        var after = await client.GetFromJsonAsync<JsonElement>(new Uri("/search?q=pangolin", UriKind.Relative));

        Assert.Equal(0, before.GetProperty("total").GetInt64());
        Assert.Equal(1, after.GetProperty("total").GetInt64());
        Assert.Null(await factory.Services.GetRequiredService<IMindoraCache>().GetAsync<JsonElement?>(SearchApi.CacheKey("pangolin", "keyword", null, null, 10)));
    }

    public void Dispose() => _store.Dispose();
}
