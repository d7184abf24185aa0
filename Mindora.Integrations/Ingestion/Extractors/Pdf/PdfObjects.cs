using System.Text;

namespace Mindora.Integrations.Ingestion.Extractors.Pdf;

/// <summary>A PDF name object (<c>/Type</c>).</summary>
internal sealed record PdfName(string Value)
{
    public override string ToString() => "/" + Value;
}

/// <summary>A PDF string: raw bytes, decoded by whoever knows their encoding.</summary>
internal sealed record PdfString(byte[] Bytes)
{
    public string AsLatin1() => Encoding.Latin1.GetString(Bytes);
}

/// <summary>An indirect reference (<c>12 0 R</c>).</summary>
internal readonly record struct PdfReference(int Number, int Generation);

/// <summary>A PDF dictionary.</summary>
internal sealed class PdfDictionary(Dictionary<string, object?> entries)
{
    public IReadOnlyDictionary<string, object?> Entries => entries;

    public object? this[string key] => entries.GetValueOrDefault(key);

    public bool Contains(string key) => entries.ContainsKey(key);
}

/// <summary>A stream object: its dictionary and its still-encoded bytes.</summary>
internal sealed class PdfStream(PdfDictionary dictionary, ReadOnlyMemory<byte> encoded)
{
    public PdfDictionary Dictionary { get; } = dictionary;

    public ReadOnlyMemory<byte> Encoded { get; } = encoded;
}

/// <summary>A content-stream operator (<c>Tj</c>, <c>BT</c>).</summary>
internal sealed record PdfOperator(string Name);

/// <summary>The document is not a PDF we can read, or it is encrypted; the message says which.</summary>
internal sealed class PdfFormatException(string message) : Exception(message);
