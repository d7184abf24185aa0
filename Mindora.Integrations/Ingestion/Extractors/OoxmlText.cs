namespace Mindora.Integrations.Ingestion.Extractors;

/// <summary>Finds a package's main part through its root relationships (falling back to the usual path).</summary>
internal static class OoxmlText
{
    private const string OfficeDocument = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";

    public static string MainPart(ZipPackage package, string fallback, string kind)
    {
        using var rels = package.OpenPart("_rels/.rels", kind);
        if (rels is not null)
        {
            using var reader = XmlSafe.Create(rels, kind);
            while (XmlSafe.Read(reader, kind))
            {
                if (reader.NodeType == System.Xml.XmlNodeType.Element && reader.LocalName == "Relationship"
                    && reader.GetAttribute("Type") == OfficeDocument && reader.GetAttribute("Target") is { } target)
                {
                    return target.TrimStart('/');
                }
            }
        }

        return fallback;
    }

    /// <summary>A seekable copy of the content when it is not seekable (zip needs to seek).</summary>
    public static async Task<Stream> SeekableAsync(Stream content, CancellationToken cancellationToken)
    {
        if (content.CanSeek)
        {
            return content;
        }

        var copy = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        await content.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        copy.Position = 0;
        return copy;
    }
}
