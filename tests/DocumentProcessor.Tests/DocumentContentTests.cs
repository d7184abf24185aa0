using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DocumentProcessor.Tests;

/// <summary>GET /documents/{id}/content (a redirect to a signed link) and versions by file name.</summary>
public sealed class DocumentContentTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Fact]
    public async Task Content_answers_302_to_a_signed_link_that_serves_the_original()
    {
        var name = $"content-{Guid.NewGuid():N}.txt";
        var id = (await _client.UploadAcceptedAsync("the original words", name)).GetProperty("id").GetString();

        using var redirect = await _client.GetAsync($"/documents/{id}/content");

        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var link = redirect.Headers.Location!;
        Assert.StartsWith("/_mindora/files/", link.OriginalString, StringComparison.Ordinal);
        using var content = await _client.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        Assert.Equal("the original words", await content.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_altered_content_link_is_refused_with_403()
    {
        var id = (await _client.UploadAcceptedAsync("private words", $"altered-{Guid.NewGuid():N}.txt")).GetProperty("id").GetString();
        using var redirect = await _client.GetAsync($"/documents/{id}/content");
        var link = redirect.Headers.Location!.OriginalString;

        using var refused = await _client.GetAsync(link[..^3] + (link[^3] == 'A' ? "B" : "A") + link[^2..]);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain("private", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Content_and_versions_of_an_unknown_document_are_404()
    {
        using var content = await _client.GetAsync($"/documents/{Guid.NewGuid():N}/content");
        using var versions = await _client.GetAsync("/documents/not-an-id/versions");

        await Http.AssertProblemAsync(content, HttpStatusCode.NotFound);
        await Http.AssertProblemAsync(versions, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Uploading_the_same_file_name_again_makes_a_new_version_of_the_same_document()
    {
        var name = $"versioned-{Guid.NewGuid():N}.txt";
        var first = await _client.UploadAcceptedAsync("first draft", name);
        var second = await _client.UploadAcceptedAsync("second, final draft", name);
        var other = await _client.UploadAcceptedAsync("unrelated", $"other-{Guid.NewGuid():N}.txt");
        var id = first.GetProperty("id").GetString();

        Assert.Equal(id, second.GetProperty("id").GetString());
        Assert.NotEqual(id, other.GetProperty("id").GetString());
        using var response = await _client.GetAsync($"/documents/{id}/versions");
        var versions = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, versions.GetArrayLength());
        Assert.Equal([true, false], versions.EnumerateArray().Select(v => v.GetProperty("isLatest").GetBoolean()));
        Assert.Equal(["second, final draft".Length, "first draft".Length], versions.EnumerateArray().Select(v => v.GetProperty("size").GetInt32()));
        Assert.NotEqual(versions[0].GetProperty("sha256").GetString(), versions[1].GetProperty("sha256").GetString());
        Assert.Equal(second.GetProperty("size").GetInt32(), versions[0].GetProperty("size").GetInt32());

        using var redirect = await _client.GetAsync($"/documents/{id}/content");
        using var content = await _client.GetAsync(redirect.Headers.Location!);
        Assert.Equal("second, final draft", await content.Content.ReadAsStringAsync());
    }
}
