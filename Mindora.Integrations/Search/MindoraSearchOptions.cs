namespace Mindora.Integrations.Search;

/// <summary>Settings of the Search capability, bound from the configuration section <c>Mindora:Search</c>.</summary>
public sealed class MindoraSearchOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Mindora:Search";

    /// <summary>How much more a title match counts than a content match (BM25 column weight). Default 5.</summary>
    public double TitleWeight { get; set; } = 5.0;

    /// <summary>The length of snippets in tokens, 1 to 64. Default 32.</summary>
    public int SnippetTokens { get; set; } = 32;

    /// <summary>The largest document (id, title, content and fields, UTF-8) in bytes. Default 8 MiB.</summary>
    public int MaxDocumentBytes { get; set; } = 8 * 1024 * 1024;
}
