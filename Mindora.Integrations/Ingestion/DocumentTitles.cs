namespace Mindora.Integrations.Ingestion;

/// <summary>Fits titles into their column.</summary>
internal static class DocumentTitles
{
    /// <summary>
    /// <paramref name="title"/> cut to <paramref name="max"/> characters, ending with "…" when
    /// cut, and never between the two halves of a surrogate pair.
    /// </summary>
    public static string Shorten(string title, int max)
    {
        if (title.Length <= max)
        {
            return title;
        }

        var cut = max - 1;
        if (char.IsHighSurrogate(title[cut - 1]))
        {
            cut--;
        }

        return title[..cut].TrimEnd() + "…";
    }
}
