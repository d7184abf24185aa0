using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.WebUtilities;

namespace Mindora.Integrations.Files;

/// <summary>What a valid embedded signed URL grants.</summary>
internal sealed record SignedTarget(string Bucket, string Key, string? VersionId);

/// <summary>
/// Embedded signed URLs: <c>{path}/{payload}.{HMAC-SHA256}</c>, both base64url. The payload names
/// the app, bucket, key, version, method and expiry; the MAC key is derived per app from the
/// signing key, so a URL of one app never verifies in another even when apps share the secret.
/// </summary>
internal sealed class FilesUrlSigner
{
    private const int MinKeyLength = 32;
    private readonly byte[]? _appKey;
    private readonly string _app;
    private readonly string _path;
    private readonly TimeProvider _time;

    public FilesUrlSigner(string app, string? signingKey, string path, TimeProvider time)
    {
        _app = app;
        _time = time;
        _path = "/" + path.Trim('/');
        if (!string.IsNullOrEmpty(signingKey))
        {
            if (signingKey.Length < MinKeyLength)
            {
                throw new MindoraConfigurationException($"{MindoraFilesOptions.SectionName}:SigningKey must be at least {MinKeyLength} characters.");
            }

            _appKey = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.UTF8.GetBytes("mindora-files-url:" + app));
        }
    }

    public Uri Sign(string bucket, string key, SignedUrlOptions options)
    {
        var appKey = _appKey ?? throw new MindoraConfigurationException($"Signed URLs need {MindoraFilesOptions.SectionName}:SigningKey (at least {MinKeyLength} characters; the AppHost injects one).");
        var expires = _time.GetUtcNow().Add(options.ExpiresIn).ToUnixTimeSeconds();
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(_app, bucket, key, options.VersionId, Method(options.Method), expires));
        var token = WebEncoders.Base64UrlEncode(payload) + "." + WebEncoders.Base64UrlEncode(HMACSHA256.HashData(appKey, payload));
        return new Uri($"{_path}/{token}", UriKind.Relative);
    }

    /// <summary>The target of a valid, unexpired token for <paramref name="method"/>; null for anything else, whatever the reason.</summary>
    public SignedTarget? Verify(string token, SignedUrlMethod method)
    {
        if (_appKey is null || token.Length > 8192)
        {
            return null;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !TryDecode(token[..dot], out var payload) || !TryDecode(token[(dot + 1)..], out var mac)
            || !CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_appKey, payload)))
        {
            return null;
        }

        Payload? claims;
        try
        {
            claims = JsonSerializer.Deserialize<Payload>(payload);
        }
        catch (JsonException)
        {
            return null;
        }

        if (claims is null || claims.App != _app || claims.Method != Method(method) || claims.Expires <= _time.GetUtcNow().ToUnixTimeSeconds())
        {
            return null;
        }

        return new SignedTarget(claims.Bucket, claims.Key, claims.Version);
    }

    private static string Method(SignedUrlMethod method) => method == SignedUrlMethod.Put ? "PUT" : "GET";

    private static bool TryDecode(string text, out byte[] bytes)
    {
        try
        {
            bytes = WebEncoders.Base64UrlDecode(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }

    private sealed record Payload(
        [property: JsonPropertyName("a")] string App,
        [property: JsonPropertyName("b")] string Bucket,
        [property: JsonPropertyName("k")] string Key,
        [property: JsonPropertyName("v")] string? Version,
        [property: JsonPropertyName("m")] string Method,
        [property: JsonPropertyName("e")] long Expires);
}
