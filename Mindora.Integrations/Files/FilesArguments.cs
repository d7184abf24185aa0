using System.Text;

namespace Mindora.Integrations.Files;

/// <summary>What an upload asks for, validated once for every provider.</summary>
internal sealed record UploadRequest(string? ContentType, IReadOnlyDictionary<string, string> Metadata, long MaxBytes, string? ExpectedSha256);

/// <summary>Validation of what callers pass to <see cref="IMindoraFiles"/>, shared by every provider so they refuse alike.</summary>
internal static class FilesArguments
{
    /// <summary>The longest a signed URL may live (S3's SigV4 limit).</summary>
    public static readonly TimeSpan MaxSignedUrlLifetime = TimeSpan.FromDays(7);

    public static string Bucket(string bucket, string parameterName = "bucket") => MindoraNames.ValidateLogicalName(bucket, "bucket", parameterName);

    public static string Key(string key, string parameterName = "key") => MindoraNames.ValidateObjectKey(key, parameterName);

    public static UploadRequest Upload(UploadOptions? options, MindoraFilesOptions defaults)
    {
        var contentType = options?.ContentType is { } given ? ContentTypes.Validate(given, "options.ContentType") : null;
        var metadata = ObjectMetadata.Normalize(options?.Metadata);
        var maxBytes = options?.MaxBytes ?? defaults.MaxUploadBytes;
        if (maxBytes <= 0)
        {
            throw new MindoraValidationException("options.MaxBytes", "MaxBytes must be greater than 0.");
        }

        var expected = options?.ExpectedSha256;
        if (expected is not null && (expected.Length != 64 || !expected.All(char.IsAsciiHexDigit)))
        {
            throw new MindoraValidationException("options.ExpectedSha256", "ExpectedSha256 must be 64 hexadecimal characters.");
        }

        return new UploadRequest(contentType, metadata, maxBytes, expected?.ToLowerInvariant());
    }

    public static void Prefix(string? prefix, string parameterName = "prefix")
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return;
        }

        if (MindoraArguments.ContainsControl(prefix) || !TryUtf8Length(prefix, out var length) || length > MindoraNames.MaxObjectKeyBytes)
        {
            throw new MindoraValidationException(parameterName, $"Invalid prefix: allowed is up to {MindoraNames.MaxObjectKeyBytes} UTF-8 bytes without control characters or unpaired surrogates.");
        }
    }

    public static void PageSize(int pageSize)
    {
        if (pageSize is < 1 or > 1000)
        {
            throw new MindoraValidationException(nameof(pageSize), "pageSize must be between 1 and 1000.");
        }
    }

    public static string VersionId(string versionId)
    {
        if (string.IsNullOrEmpty(versionId) || versionId.Length > 1024 || MindoraArguments.ContainsControl(versionId))
        {
            throw new MindoraValidationException(nameof(versionId), "A version id is required: 1 to 1024 characters without control characters, as ListVersionsAsync returns it.");
        }

        return versionId;
    }

    /// <summary>Checks the range against the object's size; returns the length to read.</summary>
    public static long RangeLength(DownloadOptions? options, long size)
    {
        if (options is null)
        {
            return size;
        }

        if (options.Offset < 0 || options.Offset >= size || options.Length is <= 0)
        {
            throw new MindoraValidationException("options", $"Invalid range: the offset must be in 0..{size - 1} and the length greater than 0 (the object has {size} bytes).");
        }

        return Math.Min(options.Length ?? long.MaxValue, size - options.Offset);
    }

    public static SignedUrlOptions SignedUrl(SignedUrlOptions? options)
    {
        options ??= new SignedUrlOptions();
        if (options.ExpiresIn < TimeSpan.FromSeconds(1) || options.ExpiresIn > MaxSignedUrlLifetime)
        {
            throw new MindoraValidationException("options.ExpiresIn", "A signed URL must expire in 1 second to 7 days.");
        }

        if (!Enum.IsDefined(options.Method))
        {
            throw new MindoraValidationException("options.Method", "The method must be Get or Put.");
        }

        if (options.VersionId is not null)
        {
            VersionId(options.VersionId);
        }

        return options;
    }

    /// <summary>The target key for <paramref name="key"/> when a prefix is replaced.</summary>
    public static string Retarget(string key, string sourcePrefix, string targetPrefix) => Key(targetPrefix + key[sourcePrefix.Length..], "targetPrefix");

    private static bool TryUtf8Length(string value, out int length)
    {
        try
        {
            length = new UTF8Encoding(false, throwOnInvalidBytes: true).GetByteCount(value);
            return true;
        }
        catch (EncoderFallbackException)
        {
            length = 0;
            return false;
        }
    }
}
