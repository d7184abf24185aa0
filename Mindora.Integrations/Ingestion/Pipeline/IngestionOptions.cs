namespace Mindora.Integrations.Ingestion.Pipeline;

/// <summary>
/// Settings of the ingestion pipeline, bound from <c>Mindora:Ingestion</c>. Sizes are in
/// estimated tokens (<see cref="TokenEstimate"/>).
/// </summary>
public sealed class IngestionOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Mindora:Ingestion";

    /// <summary>The largest chunk, 16 to 8,192 tokens. Default 300.</summary>
    public int ChunkTokens { get; set; } = 300;

    /// <summary>Tokens repeated from the end of a chunk at the start of the next one in the same section and page, 0 to half of <see cref="ChunkTokens"/>. Default 40.</summary>
    public int OverlapTokens { get; set; } = 40;

    /// <summary>The most chunks one document may make; a larger one ends failed. Default 20,000.</summary>
    public int MaxChunks { get; set; } = 20_000;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="MindoraConfigurationException">A value is out of range.</exception>
    public void Validate()
    {
        if (ChunkTokens is < 16 or > 8192 || OverlapTokens < 0 || OverlapTokens > ChunkTokens / 2 || MaxChunks < 1)
        {
            throw new MindoraConfigurationException($"{SectionName}: ChunkTokens must be 16 to 8192, OverlapTokens 0 to half of ChunkTokens, MaxChunks at least 1 (got {ChunkTokens}, {OverlapTokens}, {MaxChunks}).");
        }
    }
}
