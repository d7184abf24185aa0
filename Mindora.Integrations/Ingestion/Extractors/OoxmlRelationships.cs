using System.Xml;

namespace Mindora.Integrations.Ingestion.Extractors;

/// <summary>Reads a part's relationships (<c>_rels/*.rels</c>): id → target path within the package.</summary>
internal static class OoxmlRelationships
{
    public static Dictionary<string, string> Read(ZipPackage package, string partPath, string kind)
    {
        var directory = partPath.Contains('/') ? partPath[..partPath.LastIndexOf('/')] : string.Empty;
        var relsPath = $"{directory}/_rels/{partPath[(partPath.LastIndexOf('/') + 1)..]}.rels".TrimStart('/');
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        using var stream = package.OpenPart(relsPath, kind);
        if (stream is null)
        {
            return map;
        }

        using var reader = XmlSafe.Create(stream, kind);
        while (XmlSafe.Read(reader, kind))
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship"
                && reader.GetAttribute("Id") is { } id && reader.GetAttribute("Target") is { } target
                && reader.GetAttribute("TargetMode") != "External")
            {
                map[id] = Resolve(directory, target);
            }
        }

        return map;
    }

    private static string Resolve(string directory, string target)
    {
        if (target.StartsWith('/'))
        {
            return target.TrimStart('/');
        }

        var parts = new List<string>(directory.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var segment in target.Split('/'))
        {
            if (segment == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (segment is not ("." or ""))
            {
                parts.Add(segment);
            }
        }

        return string.Join('/', parts);
    }
}

/// <summary>XML reading that refuses DTDs (no entity expansion attacks) and reports malformed XML as corrupt input.</summary>
internal static class XmlSafe
{
    public static XmlReader Create(Stream stream, string kind)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, CloseInput = false };
        return XmlReader.Create(stream, settings);
    }

    public static bool Read(XmlReader reader, string kind)
    {
        try
        {
            return reader.Read();
        }
        catch (XmlException e)
        {
            throw ZipPackage.Corrupt(kind, $"its XML is malformed ({e.Message})");
        }
    }
}
