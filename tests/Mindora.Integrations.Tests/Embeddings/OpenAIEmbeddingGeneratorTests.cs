using Microsoft.Extensions.AI;
using Mindora.Integrations.Embeddings;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Embeddings;

/// <summary>The OpenAI-compatible provider's own logic, against a Kestrel endpoint answering in OpenAI's wire format.</summary>
public sealed class OpenAIEmbeddingGeneratorTests : IAsyncLifetime
{
    private const string Key = "sk-test-secret-4242";
    private CannedEmbeddingsEndpoint _endpoint = null!;

    public async Task InitializeAsync() => _endpoint = await CannedEmbeddingsEndpoint.StartAsync();

    public async Task DisposeAsync() => await _endpoint.DisposeAsync();

    [Fact]
    public async Task Inputs_are_sent_in_batches_and_come_back_in_input_order_whatever_order_the_server_answers_in()
    {
        using var generator = Create(o => o.BatchSize = 2);
        string[] inputs = ["a", "bb", "ccc", "dddd", "eeeee"];

        var embeddings = await generator.GenerateAsync(inputs);

        Assert.Equal([2, 2, 1], _endpoint.Requests.Select(r => r.Body["input"]!.AsArray().Count));
        Assert.Equal([1f, 2f, 3f, 4f, 5f], embeddings.Select(e => e.Vector.Span[1]));
        Assert.Equal([1f, 2f, 1f, 2f, 1f], embeddings.Select(e => e.Vector.Span[0]));
        Assert.Equal(15, embeddings.Usage!.InputTokenCount);
        Assert.All(_endpoint.Requests, r => Assert.Equal("Bearer " + Key, r.Authorization));
        Assert.All(_endpoint.Requests, r => Assert.Equal("test-model", r.Body["model"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Dimensions_are_asked_of_the_model_when_configured()
    {
        using var generator = Create(o => o.Dimensions = 8);

        var embeddings = await generator.GenerateAsync(["hello"]);

        Assert.Equal(8, _endpoint.Requests.Single().Body["dimensions"]!.GetValue<int>());
        Assert.Equal(8, embeddings[0].Vector.Length);
    }

    [Fact]
    public async Task A_rate_limited_request_is_retried_after_the_servers_retry_after()
    {
        using var generator = Create();
        _endpoint.Then(_ => CannedEmbeddingsEndpoint.Status(429, "Rate limit reached", ("Retry-After", "1")));

        var embeddings = await generator.GenerateAsync(["x"]);

        var requests = _endpoint.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(900), $"retried after {(requests[1].At - requests[0].At).TotalMilliseconds} ms");
        Assert.Equal(1f, embeddings[0].Vector.Span[1]);
    }

    [Fact]
    public async Task Transient_server_errors_are_retried_and_reported_as_unavailable_when_they_persist()
    {
        using var generator = Create(o => o.MaxRetries = 2);
        _endpoint.Then(_ => CannedEmbeddingsEndpoint.Status(503, "overloaded", ("retry-after-ms", "10")));
        Assert.Single(await generator.GenerateAsync(["recovers"]));
        for (var i = 0; i < 3; i++)
        {
            _endpoint.Then(_ => CannedEmbeddingsEndpoint.Status(500, "boom", ("retry-after-ms", "10")));
        }

        var error = await Assert.ThrowsAsync<MindoraUnavailableException>(() => generator.GenerateAsync(["fails"]));

        Assert.Equal(2 + 3, _endpoint.Requests.Count);
        Assert.Contains("500", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_key_is_a_configuration_error_that_does_not_contain_the_key()
    {
        using var generator = Create();
        _endpoint.Then(_ => CannedEmbeddingsEndpoint.Status(401, "Incorrect API key provided"));

        var error = await Assert.ThrowsAsync<MindoraConfigurationException>(() => generator.GenerateAsync(["x"]));

        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
        Assert.Contains("ApiKey", error.Message, StringComparison.Ordinal);
        Assert.Single(_endpoint.Requests);
    }

    [Fact]
    public async Task A_refused_input_is_a_validation_error_and_is_not_retried()
    {
        using var generator = Create();
        _endpoint.Then(_ => CannedEmbeddingsEndpoint.Status(400, "This model's maximum context length is 8192 tokens"));

        var error = await Assert.ThrowsAsync<MindoraValidationException>(() => generator.GenerateAsync(["too long"]));

        Assert.Contains("maximum context length", error.Message, StringComparison.Ordinal);
        Assert.Single(_endpoint.Requests);
    }

    [Fact]
    public async Task Empty_or_oversized_inputs_are_refused_before_any_request()
    {
        using var generator = Create(o => o.MaxInputCharacters = 10);

        await Assert.ThrowsAsync<MindoraValidationException>(() => generator.GenerateAsync(["ok", " "]));
        await Assert.ThrowsAsync<MindoraValidationException>(() => generator.GenerateAsync(["ok", new string('x', 11)]));

        Assert.Empty(_endpoint.Requests);
    }

    [Fact]
    public async Task Cached_embeddings_are_served_without_a_request_and_identical_inputs_are_sent_once()
    {
        using var temp = new TempDirectory();
        await using var cacheProvider = new Mindora.Integrations.Cache.EmbeddedCacheProvider(temp.NewStoreDirectory(), new(), TimeProvider.System);
        await using var cache = new Mindora.Integrations.Cache.MindoraCache(cacheProvider, "docs", new(), null, TimeProvider.System);
        using var generator = Create(cache: cache);

        var first = await generator.GenerateAsync(["same", "other", "same"]);
        var second = await generator.GenerateAsync(["other", "same"]);

        Assert.Equal(["same", "other"], _endpoint.Requests.Single().Body["input"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(first[0].Vector.ToArray(), first[2].Vector.ToArray());
        Assert.Equal(first[1].Vector.ToArray(), second[0].Vector.ToArray());
        Assert.Equal(first[0].Vector.ToArray(), second[1].Vector.ToArray());
    }

    private IEmbeddingGenerator<string, Embedding<float>> Create(Action<MindoraEmbeddingsOptions>? configure = null, Mindora.Integrations.Cache.IMindoraCache? cache = null)
    {
        var options = new MindoraEmbeddingsOptions { Endpoint = _endpoint.BaseUrl, ApiKey = Key, Model = "test-model", MaxRetryDelay = TimeSpan.FromSeconds(5) };
        configure?.Invoke(options);
        return MindoraEmbeddings.Create(options, cache);
    }
}
