using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Mindora.Integrations.Files;

/// <summary>
/// Presigns S3 URLs for the host a browser uses. SigV4 signs the host, so a link signed for the
/// internal endpoint (<c>http://files:9000</c> under compose) is both unreachable and invalid for
/// <c>http://localhost:9000</c>; with <see cref="MindoraFilesOptions.PublicEndpoint"/> set, links are
/// signed for that host instead. Signing is local: this client never sends a request.
/// </summary>
internal sealed class S3UrlSigner : IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly bool _http;

    public S3UrlSigner(S3ConnectionSettings settings, string? publicEndpoint)
    {
        var endpoint = publicEndpoint is null ? settings.Endpoint : ParsePublicEndpoint(publicEndpoint);
        _http = endpoint.Scheme == "http";
        _client = new AmazonS3Client(
            new BasicAWSCredentials(settings.AccessKey, settings.SecretKey),
            new AmazonS3Config { ServiceURL = endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = settings.Region });
    }

    public async Task<Uri> SignAsync(string physicalBucket, string key, SignedUrlOptions settings, DateTimeOffset now) =>
        new(await _client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = physicalBucket,
            Key = key,
            VersionId = settings.VersionId,
            Verb = settings.Method == SignedUrlMethod.Put ? HttpVerb.PUT : HttpVerb.GET,
            Expires = now.UtcDateTime.Add(settings.ExpiresIn),
            Protocol = _http ? Protocol.HTTP : Protocol.HTTPS,
        }).ConfigureAwait(false));

    public void Dispose() => _client.Dispose();

    private static Uri ParsePublicEndpoint(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.UserInfo)
            ? uri
            : throw new MindoraConfigurationException($"{MindoraFilesOptions.SectionName}:PublicEndpoint must be an absolute http(s) URL with no path, query or credentials, such as 'http://localhost:9000'; got '{value}'.");
}
