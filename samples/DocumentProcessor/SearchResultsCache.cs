using Microsoft.Extensions.Options;
using Mindora.Integrations.Cache;
using Mindora.Integrations.Ingestion;

namespace DocumentProcessor;

/// <summary>
/// Caches search responses in the app's cache under <see cref="DocumentSearchCache"/> keys (the
/// worker drops them when the index changes). Without a cache, or with a zero time to live,
/// every search runs.
/// </summary>
internal sealed class SearchResultsCache(IServiceProvider services, IOptions<DocumentApiOptions> options)
{
    private readonly IMindoraCache? _cache = services.GetService<IMindoraCache>();

    public Task<SearchResponse> GetOrSearchAsync(string key, Func<CancellationToken, Task<SearchResponse>> search, CancellationToken cancellationToken)
    {
        var timeToLive = options.Value.SearchCacheTimeToLive;
        return _cache is null || timeToLive <= TimeSpan.Zero
            ? search(cancellationToken)
            : _cache.GetOrCreateAsync(key, search, timeToLive, cancellationToken);
    }
}
