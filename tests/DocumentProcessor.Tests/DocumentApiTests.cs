using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DocumentProcessor.Tests;

/// <summary>Search input checks, health endpoints, the page and the errors of the API surface.</summary>
public sealed class DocumentApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = fixture.Client;

    [Theory]
    [InlineData("/search")]
    [InlineData("/search?q=")]
    [InlineData("/search?q=%20%20%09")]
    public async Task Search_without_query_text_is_a_400_problem(string url)
    {
        using var response = await _client.GetAsync(url);

        await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("*")]
    [InlineData("AND(")]
    [InlineData("\"unterminated")]
    [InlineData("NEAR(a b, 2)")]
    [InlineData("title:secret OR -content")]
    [InlineData("a* ^b {c} [d]")]
    [InlineData("'; DROP TABLE documents; --")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("\u0002mark\u0003")]
    public async Task Hostile_query_text_is_answered_200_without_an_error(string q)
    {
        using var response = await _client.GetAsync($"/search?q={Uri.EscapeDataString(q)}");

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        var result = JsonDocument.Parse(body).RootElement;
        Assert.Equal(q, result.GetProperty("query").GetString());
        Assert.Equal(JsonValueKind.Array, result.GetProperty("hits").ValueKind);
    }

    [Fact]
    public async Task Query_text_over_the_length_limit_is_a_400_problem()
    {
        using var response = await _client.GetAsync($"/search?q={new string('x', 1001)}");

        await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("99999999999999999999")]
    public async Task Search_size_that_is_not_a_number_is_a_400_problem(string size)
    {
        using var response = await _client.GetAsync($"/search?q=report&size={size}");

        await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("100000")]
    public async Task Search_size_out_of_range_is_clamped(string size)
    {
        using var response = await _client.GetAsync($"/search?q=report&size={size}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task Health_endpoints_answer_200(string url)
    {
        using var response = await _client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Root_redirects_to_the_page_which_is_served()
    {
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var root = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/index.html", root.Headers.Location?.OriginalString);

        using var page = await client.GetAsync(root.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("name=\"file\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_path_is_a_404_problem()
    {
        using var response = await _client.GetAsync("/no-such-endpoint");

        await Http.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Wrong_method_is_a_405_problem()
    {
        using var response = await _client.DeleteAsync(new Uri("/search?q=x", UriKind.Relative));

        await Http.AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Search_on_an_empty_store_finds_nothing()
    {
        var result = await _client.GetFromJsonAsync<JsonElement>(new Uri("/search?q=zzyzxnotaword", UriKind.Relative));

        Assert.Equal(0, result.GetProperty("total").GetInt64());
        Assert.Empty(result.GetProperty("hits").EnumerateArray());
    }
}
