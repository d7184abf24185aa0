namespace Mindora.Integrations.Files;

/// <summary>Settings of the Files capability, bound from the configuration section <c>Mindora:Files</c>.</summary>
public sealed class MindoraFilesOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Mindora:Files";

    /// <summary>The largest upload in bytes unless an upload sets its own limit. Default 100 MiB.</summary>
    public long MaxUploadBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Keep every version of an object (S3 bucket versioning). Default on; applies to buckets this app creates.</summary>
    public bool Versioning { get; set; } = true;

    /// <summary>
    /// The secret that signs embedded signed URLs (at least 32 characters; the AppHost injects a
    /// generated one). Without it, embedded signed URLs are refused. S3 signs with its own keys.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>The path <c>app.MapMindoraFiles()</c> serves embedded signed URLs under. Default <c>/_mindora/files</c>.</summary>
    public string SignedUrlPath { get; set; } = "/_mindora/files";

    /// <summary>S3: uploads larger than this go up in parts of this size (5 MiB to 5 GiB). Default 16 MiB.</summary>
    public long MultipartPartBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>
    /// S3: the endpoint browsers reach the object store at (e.g. <c>http://localhost:9000</c> when the
    /// connection string names <c>http://files:9000</c> inside compose). Used only to sign URLs; every
    /// other call goes to the connection string's endpoint. Default: the connection string's endpoint.
    /// </summary>
    public string? PublicEndpoint { get; set; }

    /// <summary>
    /// Publish <c>files.object-uploaded</c> (<see cref="ObjectUploadedEvent"/>) on
    /// <see cref="UploadEventsExchange"/> after each committed new version (upload, signed PUT, copy, restore, confirmation), when messaging is registered.
    /// Default off. A failed publish is logged; it never undoes the upload.
    /// </summary>
    public bool PublishUploads { get; set; }

    /// <summary>Where upload events go: a shared exchange or one of the app's own (<c>{app}.…</c>). Default <c>system_events</c>.</summary>
    public string UploadEventsExchange { get; set; } = "system_events";
}
