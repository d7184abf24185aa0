using System.Net;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Mindora.Integrations.Files;
using Mindora.Integrations.Tests.Redis;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

public abstract partial class FilesSuite
{
    /// <summary>Sends a credential-less request to a signed URL, as a browser would (embedded: to the web app of <paramref name="app"/>).</summary>
    protected abstract Task<HttpResponseMessage> SendSignedAsync(string app, HttpMethod method, Uri url, HttpContent? content = null);

    [SuiteFact]
    public async Task Upload_then_presigned_get_returns_same_bytes()
    {
        var app = NewApp();
        var files = Open(app);
        await files.EnsureBucketAsync("b");
        var bytes = new byte[70_000];
        new Random(3).NextBytes(bytes);
        await files.UploadAsync("b", "reports/q1 €.bin", new MemoryStream(bytes));

        var url = await files.GetSignedUrlAsync("b", "reports/q1 €.bin");
        using var response = await SendSignedAsync(app, HttpMethod.Get, url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
    }

    [SuiteFact]
    public async Task Presigned_get_of_a_version_serves_that_version()
    {
        var app = NewApp();
        var files = Open(app);
        await files.EnsureBucketAsync("b");
        var v1 = await files.UploadAsync("b", "k", new MemoryStream("one"u8.ToArray()));
        await files.UploadAsync("b", "k", new MemoryStream("two"u8.ToArray()));

        using var response = await SendSignedAsync(app, HttpMethod.Get, await files.GetSignedUrlAsync("b", "k", new SignedUrlOptions { VersionId = v1.VersionId }));

        Assert.Equal("one", await response.Content.ReadAsStringAsync());
    }

    [SuiteFact]
    public async Task Presigned_put_stores_the_body_as_the_objects_new_version()
    {
        var app = NewApp();
        var files = Open(app);
        await files.EnsureBucketAsync("b");

        var url = await files.GetSignedUrlAsync("b", "in/upload.txt", new SignedUrlOptions { Method = SignedUrlMethod.Put });
        using var response = await SendSignedAsync(app, HttpMethod.Put, url, new ByteArrayContent("sent by a browser"u8.ToArray()));

        Assert.True(response.IsSuccessStatusCode, $"PUT answered {(int)response.StatusCode}.");
        Assert.Equal("sent by a browser", await ReadTextAsync(files, "b", "in/upload.txt"));
    }

    [SuiteFact]
    public async Task Altered_or_misused_signed_urls_are_refused_with_403_revealing_nothing()
    {
        var app = NewApp();
        var files = Open(app);
        await files.EnsureBucketAsync("b");
        await files.UploadAsync("b", "secret.txt", new MemoryStream("top secret"u8.ToArray()));
        await files.UploadAsync("b", "other.txt", new MemoryStream("other secret"u8.ToArray()));
        var get = await files.GetSignedUrlAsync("b", "secret.txt");
        var text = get.OriginalString;

        foreach (var altered in new[] { AlterSignature(text), RetargetKey(text, "secret.txt", "other.txt") })
        {
            using var response = await SendSignedAsync(app, HttpMethod.Get, new Uri(altered, UriKind.RelativeOrAbsolute));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.DoesNotContain("secret", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A GET URL does not allow a PUT.
        using (var put = await SendSignedAsync(app, HttpMethod.Put, get, new ByteArrayContent([1])))
        {
            Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        }

        Assert.Equal("top secret", await ReadTextAsync(files, "b", "secret.txt"));
    }

    [SuiteFact]
    public async Task Expired_signed_url_is_refused_with_403()
    {
        var app = NewApp();
        var files = Open(app);
        await files.EnsureBucketAsync("b");
        await files.UploadAsync("b", "k", new MemoryStream("content"u8.ToArray()));
        var shortLived = await files.GetSignedUrlAsync("b", "k", new SignedUrlOptions { ExpiresIn = TimeSpan.FromSeconds(1) });

        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await SendSignedAsync(app, HttpMethod.Get, shortLived);
                return response.StatusCode == HttpStatusCode.Forbidden;
            },
            "the one-second URL to expire",
            timeoutSeconds: 30);

        using var stillValid = await SendSignedAsync(app, HttpMethod.Get, await files.GetSignedUrlAsync("b", "k"));
        Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
    }

    [SuiteFact]
    public async Task Signed_url_lifetime_and_version_are_validated()
    {
        var files = await OpenWithBucketAsync();

        await Assert.ThrowsAsync<MindoraValidationException>(() => files.GetSignedUrlAsync("b", "k", new SignedUrlOptions { ExpiresIn = TimeSpan.Zero }));
        await Assert.ThrowsAsync<MindoraValidationException>(() => files.GetSignedUrlAsync("b", "k", new SignedUrlOptions { ExpiresIn = TimeSpan.FromDays(8) }));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => files.GetSignedUrlAsync("b", "../k"));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => files.GetSignedUrlAsync("missing", "k"));
    }

    [SuiteFact]
    public async Task One_app_can_never_sign_for_another_apps_objects()
    {
        var owner = NewApp();
        var intruder = NewApp();
        var ownerFiles = Open(owner);
        var intruderFiles = Open(intruder);
        await ownerFiles.EnsureBucketAsync("shared");
        await ownerFiles.UploadAsync("shared", "secret.txt", new MemoryStream("owner's secret"u8.ToArray()));

        // The intruder's "shared" is its own bucket: signing it can only ever reach its own objects.
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => intruderFiles.GetSignedUrlAsync("shared", "secret.txt"));
        await intruderFiles.EnsureBucketAsync("shared");
        using var response = await SendSignedAsync(intruder, HttpMethod.Get, await intruderFiles.GetSignedUrlAsync("shared", "secret.txt"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("secret", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Points a signed URL at another key while keeping its signature (S3: in the path; embedded: inside the token's payload).</summary>
    private static string RetargetKey(string url, string from, string to)
    {
        if (url.Contains(from, StringComparison.Ordinal))
        {
            return url.Replace(from, to, StringComparison.Ordinal);
        }

        var slash = url.LastIndexOf('/') + 1;
        var dot = url.IndexOf('.', slash);
        var payload = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(url[slash..dot])).Replace(from, to, StringComparison.Ordinal);
        return url[..slash] + WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(payload)) + url[dot..];
    }

    /// <summary>Changes one character of the signature (the token's last part, or S3's X-Amz-Signature).</summary>
    private static string AlterSignature(string url)
    {
        var index = url.Contains("X-Amz-Signature=", StringComparison.Ordinal) ? url.IndexOf("X-Amz-Signature=", StringComparison.Ordinal) + 20 : url.Length - 5;
        return url[..index] + (url[index] == 'a' ? 'b' : 'a') + url[(index + 1)..];
    }
}
