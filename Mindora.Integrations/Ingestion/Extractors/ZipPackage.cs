using System.IO.Compression;

namespace Mindora.Integrations.Ingestion.Extractors;

/// <summary>
/// Opens an Office Open XML package (a zip) defensively: bounded entry count, bounded total
/// uncompressed size and a bounded compression ratio, so a zip bomb fails as corrupt input instead
/// of filling memory or disk.
/// </summary>
internal sealed class ZipPackage : IDisposable
{
    private const int MaxEntries = 10_000;
    private const long MaxEntryBytes = 256L * 1024 * 1024;
    private const long MaxTotalBytes = 512L * 1024 * 1024;
    private const int MaxRatio = 200;
    private readonly ZipArchive _archive;
    private long _readBytes;

    private ZipPackage(ZipArchive archive) => _archive = archive;

    public static ZipPackage Open(Stream content, string kind)
    {
        try
        {
            var archive = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            if (archive.Entries.Count > MaxEntries)
            {
                archive.Dispose();
                throw Corrupt(kind, $"it has more than {MaxEntries} parts");
            }

            return new ZipPackage(archive);
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(kind, $"it is not a valid zip package ({e.Message})");
        }
    }

    public bool Contains(string path) => _archive.GetEntry(path) is not null;

    /// <summary>The part's bytes, or null when it is missing; throws when it would be a bomb.</summary>
    public Stream? OpenPart(string path, string kind)
    {
        var entry = _archive.GetEntry(path.TrimStart('/'));
        if (entry is null)
        {
            return null;
        }

        if (entry.Length > MaxEntryBytes || (entry.CompressedLength > 0 && entry.Length / Math.Max(1, entry.CompressedLength) > MaxRatio && entry.Length > 1024 * 1024))
        {
            throw Corrupt(kind, $"its part {path} expands suspiciously ({entry.CompressedLength} → {entry.Length} bytes): a zip bomb?");
        }

        _readBytes += entry.Length;
        if (_readBytes > MaxTotalBytes)
        {
            throw Corrupt(kind, $"its parts expand to more than {MaxTotalBytes / (1024 * 1024)} MiB");
        }

        try
        {
            return entry.Open();
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(kind, $"its part {path} cannot be read ({e.Message})");
        }
    }

    public static MindoraCorruptContentException Corrupt(string kind, string why) => new(kind, why);

    public void Dispose() => _archive.Dispose();
}
