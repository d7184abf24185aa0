namespace Mindora.Integrations.Files;

/// <summary>Content written to a temporary file: its size, hash and first bytes (for type detection).</summary>
internal sealed record StagedBlob(long Size, string Sha256, ReadOnlyMemory<byte> Head)
{
    /// <summary>True when the content is longer than <see cref="Head"/>.</summary>
    public bool Truncated => Size > Head.Length;
}
