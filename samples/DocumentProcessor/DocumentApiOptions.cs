namespace DocumentProcessor;

/// <summary>Limits of the document API; bound from <c>Documents</c>.</summary>
public sealed class DocumentApiOptions
{
    /// <summary>The largest upload accepted, in bytes (default 10 MiB).</summary>
    public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The most search hits returned at once.</summary>
    public int MaxSearchResults { get; set; } = 20;
}
