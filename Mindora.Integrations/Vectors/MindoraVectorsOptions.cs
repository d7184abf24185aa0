namespace Mindora.Integrations.Vectors;

/// <summary>Settings of the Vectors capability, bound from the configuration section <c>Mindora:Vectors</c>.</summary>
public sealed class MindoraVectorsOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Mindora:Vectors";

    /// <summary>The largest dimension a collection may have. Default 4096.</summary>
    public int MaxDimension { get; set; } = 4096;

    /// <summary>The largest serialized payload of one point, in bytes. Default 64 KiB.</summary>
    public int MaxPayloadBytes { get; set; } = 64 * 1024;

    /// <summary>Points sent to the store per request or transaction when upserting. Default 256.</summary>
    public int UpsertBatchSize { get; set; } = 256;

    /// <summary>Embedded only: from this many points on, search uses the HNSW index instead of exact search. Default 10,000.</summary>
    public int HnswThreshold { get; set; } = 10_000;

    /// <summary>Embedded only: HNSW links per node (M). Default 16.</summary>
    public int HnswM { get; set; } = 16;

    /// <summary>Embedded only: HNSW candidate list size while building (efConstruction). Default 128.</summary>
    public int HnswEfConstruction { get; set; } = 128;

    /// <summary>
    /// Embedded only: HNSW candidate list size while searching (ef; raised to the top-k when smaller).
    /// Default 160: top-10 recall 0.96 on 100,000 clustered 768-dimension vectors (128 gave 0.946).
    /// </summary>
    public int HnswEfSearch { get; set; } = 160;

    /// <summary>Qdrant only: the time one HTTP request may take. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
