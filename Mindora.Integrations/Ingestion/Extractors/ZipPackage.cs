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

    // An OLE compound file: what Office writes for a password-protected .docx/.xlsx (and for .doc/.xls).
    private static readonly byte[] CompoundFileSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    public static ZipPackage Open(Stream content, string kind)
    {
        if (IsCompoundFile(content))
        {
            throw Corrupt(kind, "it is an OLE compound file, not a zip package: a password-protected (encrypted) Office document, or a legacy .doc/.xls renamed; remove the password or save it as .docx/.xlsx");
        }

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

    private static bool IsCompoundFile(Stream content)
    {
        if (!content.CanSeek)
        {
            return false;
        }

        var start = content.Position;
        Span<byte> head = stackalloc byte[8];
        var read = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        content.Position = start;
        return read == head.Length && head.SequenceEqual(CompoundFileSignature);
    }

    public static MindoraCorruptContentException Corrupt(string kind, string why) => new(kind, why);

    public void Dispose() => _archive.Dispose();
}
