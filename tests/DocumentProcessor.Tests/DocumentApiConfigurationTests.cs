using Microsoft.Extensions.Options;

namespace DocumentProcessor.Tests;

/// <summary>The Documents options are checked when the app starts, not at the first request.</summary>
public sealed class DocumentApiConfigurationTests : IDisposable
{
    private readonly TestStore _store = new();

    [Theory]
    [InlineData("Documents:MaxUploadBytes", "0")]
    [InlineData("Documents:MaxUploadBytes", "-1")]
    [InlineData("Documents:MaxUploadBytes", "9223372036854775807")]
    [InlineData("Documents:MaxSearchResults", "0")]
    [InlineData("Documents:MaxSearchResults", "101")]
    public void Out_of_range_document_limit_stops_the_app_at_start(string key, string value)
    {
        using var factory = new DocumentApiFactory(_store, new Dictionary<string, string?> { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _store.Dispose();
}
