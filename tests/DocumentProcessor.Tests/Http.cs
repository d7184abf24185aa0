using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace DocumentProcessor.Tests;

/// <summary>Requests and response checks the tests share.</summary>
internal static class Http
{
    /// <summary>A multipart body with one file part, as a browser's upload form sends it.</summary>
    public static MultipartFormDataContent FileForm(byte[] bytes, string fileName, string? contentType = null, string field = "file")
    {
        var part = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            part.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return new MultipartFormDataContent { { part, field, fileName } };
    }

    public static MultipartFormDataContent FileForm(string text, string fileName, string? contentType = null) =>
        FileForm(Encoding.UTF8.GetBytes(text), fileName, contentType);

    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient client, string text, string fileName, string? contentType = null)
    {
        using var form = FileForm(text, fileName, contentType);
        return await client.PostAsync(new Uri("/documents", UriKind.Relative), form);
    }

    /// <summary>Uploads a document that must be accepted and returns its JSON view.</summary>
    public static async Task<JsonElement> UploadAcceptedAsync(this HttpClient client, string text, string fileName, string? contentType = null)
    {
        using var response = await client.UploadAsync(text, fileName, contentType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Expected 202 but got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> GetAsync(this HttpClient client, string relativeUrl) =>
        client.GetAsync(new Uri(relativeUrl, UriKind.Relative));

    /// <summary>Asserts a problem+json response with <paramref name="status"/> and returns its body.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} but got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    /// <summary>Content that declares no length; send it with <c>TransferEncodingChunked</c> for a chunked upload.</summary>
    public sealed class UnknownLengthContent : HttpContent
    {
        private readonly HttpContent _inner;

        public UnknownLengthContent(HttpContent inner)
        {
            _inner = inner;
            foreach (var header in inner.Headers.Where(h => h.Key != "Content-Length"))
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _inner.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/> holds, failing after <paramref name="timeout"/>.</summary>
    public static async Task<T> PollAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds} s waiting for {what}; last value: {value}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
