namespace Mindora.Integrations.Files;

/// <summary>What a signed URL allows.</summary>
public enum SignedUrlMethod
{
    /// <summary>Download the object.</summary>
    Get,

    /// <summary>Upload the object (the request body becomes its content).</summary>
    Put,
}

/// <summary>Settings of one signed URL.</summary>
public sealed record SignedUrlOptions
{
    /// <summary>What the URL allows. Default <see cref="SignedUrlMethod.Get"/>.</summary>
    public SignedUrlMethod Method { get; init; } = SignedUrlMethod.Get;

    /// <summary>How long the URL stays valid: 1 second to 7 days (S3's limit). Default 15 minutes.</summary>
    public TimeSpan ExpiresIn { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>For GET: the version to serve; null serves the current one.</summary>
    public string? VersionId { get; init; }
}
