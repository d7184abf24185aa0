using System.Security.Cryptography;
using System.Text;
using Mindora.Integrations.Files;

namespace Mindora.Integrations.Tests.Files;

/// <summary>
/// Links signed for the public endpoint: checked by recomputing AWS Signature V4 here from the
/// URL's own parameters, the way S3 or MinIO checks it for the host the request reaches. Signing
/// needs no server, so these run everywhere.
/// </summary>
public sealed class S3UrlSignerTests
{
    private const string Secret = "internal-secret-key-0123456789";
    private static readonly S3ConnectionSettings Internal = S3ConnectionSettings.Parse($"Endpoint=http://files:9000;AccessKey=docs-key;SecretKey={Secret}", "files");

    [Fact]
    public async Task A_link_signed_for_the_public_endpoint_is_valid_for_that_host_only()
    {
        using var signer = new S3UrlSigner(Internal, "http://localhost:9000");

        var url = await signer.SignAsync("docs-documents", "reports/q3.pdf", new SignedUrlOptions { ExpiresIn = TimeSpan.FromMinutes(15) }, DateTimeOffset.UtcNow);

        Assert.Equal(("http", "localhost", 9000, "/docs-documents/reports/q3.pdf"), (url.Scheme, url.Host, url.Port, url.AbsolutePath));
        Assert.True(SignatureMatches(url, "GET", "localhost:9000"));
        Assert.False(SignatureMatches(url, "GET", "files:9000"));
        Assert.DoesNotContain(Secret, url.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_public_endpoint_links_are_signed_for_the_connection_endpoint()
    {
        using var signer = new S3UrlSigner(Internal, null);

        var url = await signer.SignAsync("docs-documents", "a.txt", new SignedUrlOptions { Method = SignedUrlMethod.Put }, DateTimeOffset.UtcNow);

        Assert.Equal("files:9000", url.Authority);
        Assert.True(SignatureMatches(url, "PUT", "files:9000"));
    }

    [Theory]
    [InlineData("localhost:9000")]
    [InlineData("ftp://localhost:9000")]
    [InlineData("http://localhost:9000/files")]
    [InlineData("http://user:pw@localhost:9000")]
    public void A_malformed_public_endpoint_is_refused_saying_what_is_allowed(string value)
    {
        var e = Assert.Throws<MindoraConfigurationException>(() => new S3UrlSigner(Internal, value));

        Assert.Contains("Mindora:Files:PublicEndpoint", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, e.Message, StringComparison.Ordinal);
    }

    // SigV4 for a presigned request: the canonical request over method, path, the query without the
    // signature, the host header only and an unsigned payload; then the derived key's HMAC.
    private static bool SignatureMatches(Uri url, string method, string host)
    {
        var query = url.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty, StringComparer.Ordinal);
        var signature = query["X-Amz-Signature"];
        var canonicalQuery = string.Join('&', query.Where(p => p.Key != "X-Amz-Signature").OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        Assert.Equal("host", query["X-Amz-SignedHeaders"]);
        var canonical = $"{method}\n{url.AbsolutePath}\n{canonicalQuery}\nhost:{host}\n\nhost\nUNSIGNED-PAYLOAD";
        var amzDate = query["X-Amz-Date"];
        var scope = Uri.UnescapeDataString(query["X-Amz-Credential"]).Split('/', 2)[1]; // date/region/s3/aws4_request
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + Secret);
        foreach (var part in scope.Split('/'))
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign))) == signature;
    }
}
