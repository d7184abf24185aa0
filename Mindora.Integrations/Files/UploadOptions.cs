namespace Mindora.Integrations.Files;

/// <summary>Optional settings of one upload.</summary>
public sealed record UploadOptions
{
    /// <summary>
    /// The media type (<c>type/subtype</c>, optionally with parameters). When null it is detected
    /// from the first bytes (PDF, PNG, JPEG, GIF, Office documents, UTF-8 text), else
    /// <c>application/octet-stream</c>.
    /// </summary>
    public string? ContentType { get; init; }

    /// <summary>
    /// User metadata: up to 2 KiB in total, keys of letters, digits, '-', '_' and '.'
    /// (case-insensitive, stored lowercase, as in S3), values without control characters.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>The size limit for this upload; overrides <see cref="MindoraFilesOptions.MaxUploadBytes"/>.</summary>
    public long? MaxBytes { get; init; }

    /// <summary>The SHA-256 the content must have (hex); the upload fails and stores nothing otherwise.</summary>
    public string? ExpectedSha256 { get; init; }
}
