using System.Security.Cryptography;
using Mindora.Integrations.Files;
using Mindora.Integrations.Search;

namespace Mindora.Integrations.Tests.Support;

/// <summary>Creates embedded providers directly (no host), the way the DI factories do.</summary>
internal static class Stores
{
    public static EmbeddedFilesProvider Files(string directory, string app = "docs", MindoraFilesOptions? options = null) =>
        new(directory, app, options ?? new MindoraFilesOptions(), null, TimeProvider.System);

    public static EmbeddedSearchProvider Search(string directory, string app = "docs", MindoraSearchOptions? options = null) =>
        new(directory, app, options ?? new MindoraSearchOptions(), null, TimeProvider.System);

    public static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Every file under the blob area of a files store (temporary or final).</summary>
    public static string[] BlobFiles(string directory)
    {
        var blobs = Path.Combine(directory, "blobs");
        return Directory.Exists(blobs) ? Directory.GetFiles(blobs, "*", SearchOption.AllDirectories) : [];
    }
}
