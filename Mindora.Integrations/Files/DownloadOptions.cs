namespace Mindora.Integrations.Files;

/// <summary>Optional settings of one download.</summary>
public sealed record DownloadOptions
{
    /// <summary>The first byte to read (0-based); must be inside the object. Default 0.</summary>
    public long Offset { get; init; }

    /// <summary>How many bytes to read from <see cref="Offset"/>; null or past the end reads to the end.</summary>
    public long? Length { get; init; }

    /// <summary>The version to read; null reads the current one.</summary>
    public string? VersionId { get; init; }
}
