using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Mindora.Integrations.Ingestion;

/// <summary>
/// Where search results over the documents index are cached: every key starts with
/// <see cref="Prefix"/>, so the worker drops them all at once when the index changes.
/// </summary>
public static class DocumentSearchCache
{
    /// <summary>The prefix of every cached search result.</summary>
    public const string Prefix = "search:";

    /// <summary>
    /// The key of the results of <paramref name="query"/> with <paramref name="size"/> hits. The
    /// query is hashed (SHA-256 of its UTF-16 code units, so no two queries share a key): it may
    /// be longer than a key may be, or hold control characters.
    /// </summary>
    public static string Key(string query, int size)
    {
        ArgumentNullException.ThrowIfNull(query);
        var hash = Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(query.AsSpan())));
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{size}:{hash}");
    }
}
