namespace DocumentProcessor;

/// <summary>Limits of the document API; bound from <c>Documents</c>.</summary>
public sealed class DocumentApiOptions
{
    /// <summary>The highest <see cref="MaxUploadBytes"/> that can be configured (1 GiB).</summary>
    public const long MaxUploadBytesLimit = 1024L * 1024 * 1024;

    /// <summary>The largest upload accepted, in bytes (default 10 MiB, at most 1 GiB).</summary>
    public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The most search hits returned at once (1 to 100, default 20).</summary>
    public int MaxSearchResults { get; set; } = 20;

    /// <summary>
    /// How long search results stay cached (default 5 minutes, at most 1 day; zero turns the cache
    /// off). The worker drops them as soon as it indexes a document, so this only bounds how long
    /// a result computed while the index changed can stay stale.
    /// </summary>
    public TimeSpan SearchCacheTimeToLive { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the signed link that GET /documents/{id}/content redirects to stays valid (default 15 minutes, 1 second to 7 days).</summary>
    public TimeSpan ContentLinkLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How many passages POST /ask answers from (1 to 20, default 5).</summary>
    public int AskPassages { get; set; } = 5;

    /// <summary>
    /// The lowest cosine similarity of a passage /ask finds by embedding (0 to 1, default 0.2):
    /// nearest-neighbour search always returns something, and a question about nothing in the
    /// documents should get "nothing matches", not the least unrelated passages.
    /// </summary>
    public double AskMinSimilarity { get; set; } = 0.2;
}
