using System.Text;

namespace Mindora.Integrations.Ingestion.Pipeline;

/// <summary>
/// Cuts extracted text into chunks of at most <see cref="IngestionOptions.ChunkTokens"/> tokens.
/// The text is first split into segments that share a page (PDF pages are separated by form
/// feeds) and a section (the heading path, from <see cref="ExtractedText.Headings"/>); a chunk never
/// spans two segments, so each has one page and one section. Within a segment, sentences and lines
/// are packed greedily; a sentence longer than a chunk is cut between words (or CJK characters).
/// Each chunk after the first of a segment starts with the last
/// <see cref="IngestionOptions.OverlapTokens"/> tokens of the one before, so a passage cut in two
/// is still found whole.
/// </summary>
public sealed class TextPartitioner
{
    private const string SectionSeparator = " › ";
    private readonly int _chunkTokens;
    private readonly int _overlapTokens;

    /// <summary>Creates a partitioner with the given sizes.</summary>
    /// <exception cref="MindoraConfigurationException">The sizes are out of range.</exception>
    public TextPartitioner(IngestionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _chunkTokens = options.ChunkTokens;
        _overlapTokens = options.OverlapTokens;
    }

    /// <summary>The chunks of a document's text, in order, numbered from 0.</summary>
    public IReadOnlyList<DocumentChunk> Partition(string documentId, ExtractedText extracted)
    {
        ArgumentNullException.ThrowIfNull(extracted);
        var chunks = new List<DocumentChunk>();
        var headings = new HeadingTracker(extracted.Headings);
        var pages = extracted.Pages is null ? [extracted.Text] : extracted.Text.Split('\f');
        for (var p = 0; p < pages.Length; p++)
        {
            int? page = extracted.Pages is null ? null : p + 1;
            var segment = new StringBuilder();
            foreach (var line in pages[p].Split('\n'))
            {
                if (headings.IsHeading(line.Trim(), out var next) && segment.Length > 0)
                {
                    Pack(documentId, segment.ToString(), headings.Section, page, chunks);
                    segment.Clear();
                }

                headings.Enter(next);
                segment.Append(line).Append('\n');
            }

            Pack(documentId, segment.ToString(), headings.Section, page, chunks);
        }

        return chunks;
    }

    // Packs one segment's pieces into chunks, carrying the overlap between them.
    private void Pack(string documentId, string segment, string? section, int? page, List<DocumentChunk> chunks)
    {
        var current = new StringBuilder();
        var tokens = 0;
        var hasNew = false;
        foreach (var piece in Pieces(segment))
        {
            var pieceTokens = TokenEstimate.Count(piece);
            if (pieceTokens == 0)
            {
                current.Append(piece);
                continue;
            }

            if (tokens + pieceTokens > _chunkTokens && hasNew)
            {
                var raw = current.ToString();
                chunks.Add(new DocumentChunk(documentId, chunks.Count, raw.Trim(), section, page, tokens));

                // The tail keeps the separator it ended with, so the next piece follows it as in the text.
                current.Clear().Append(Tail(raw, Math.Min(_overlapTokens, _chunkTokens - pieceTokens)));
                tokens = TokenEstimate.Count(current.ToString());

                hasNew = false;
            }

            current.Append(piece);
            tokens += pieceTokens;
            hasNew = true;
        }

        if (hasNew)
        {
            chunks.Add(new DocumentChunk(documentId, chunks.Count, current.ToString().Trim(), section, page, TokenEstimate.Count(current.ToString())));
        }
    }

    // Sentences and lines (with their separators), none larger than a chunk.
    private IEnumerable<string> Pieces(string segment)
    {
        var start = 0;
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            var end = c == '\n'
                || (c is '。' or '！' or '？' or '；')
                || (c is '.' or '!' or '?' or ';' && i + 1 < segment.Length && segment[i + 1] is ' ' or '\t');
            if (end)
            {
                foreach (var piece in Split(segment[start..(i + 1)]))
                {
                    yield return piece;
                }

                start = i + 1;
            }
        }

        if (start < segment.Length)
        {
            foreach (var piece in Split(segment[start..]))
            {
                yield return piece;
            }
        }
    }

    // A sentence longer than a chunk, cut at unit boundaries (between words or CJK characters)
    // into pieces that leave room for the overlap.
    private IEnumerable<string> Split(string sentence)
    {
        if (TokenEstimate.Count(sentence) <= _chunkTokens)
        {
            yield return sentence;
            yield break;
        }

        var units = TokenEstimate.Units(sentence);
        var limit = _chunkTokens - _overlapTokens;
        var start = 0;
        var tokens = 0;
        foreach (var (unitStart, length, unitTokens) in units)
        {
            if (tokens + unitTokens > limit && unitStart > start)
            {
                yield return sentence[start..unitStart];
                start = unitStart;
                tokens = 0;
            }

            // A single run of letters longer than a chunk (a hash, a base64 blob) is cut inside.
            if (unitTokens > limit)
            {
                var step = limit * TokenEstimate.CharactersPerToken;
                for (var cut = unitStart; cut < unitStart + length; cut += step)
                {
                    yield return sentence[cut..Math.Min(cut + step, unitStart + length)];
                }

                start = unitStart + length;
                tokens = 0;
                continue;
            }

            tokens += unitTokens;
        }

        if (start < sentence.Length)
        {
            yield return sentence[start..];
        }
    }

    // The end of a chunk worth at most `budget` tokens, starting at a unit boundary.
    private static string Tail(string text, int budget)
    {
        if (budget <= 0)
        {
            return string.Empty;
        }

        var units = TokenEstimate.Units(text);
        var tokens = 0;
        var start = text.Length;
        for (var i = units.Count - 1; i >= 0 && tokens + units[i].Tokens <= budget; i--)
        {
            tokens += units[i].Tokens;
            start = units[i].Start;
        }

        return tokens == 0 ? string.Empty : text[start..].TrimStart();
    }

    // Follows the headings through the text: a line equal to the next expected heading is that heading.
    private sealed class HeadingTracker(IReadOnlyList<DocumentHeading> headings)
    {
        private readonly List<DocumentHeading> _path = [];
        private int _next;

        public string? Section => _path.Count == 0 ? null : string.Join(SectionSeparator, _path.Select(h => h.Text));

        public bool IsHeading(string line, out DocumentHeading? heading)
        {
            heading = _next < headings.Count && line.Length > 0 && line == headings[_next].Text ? headings[_next] : null;
            return heading is not null;
        }

        public void Enter(DocumentHeading? heading)
        {
            if (heading is null)
            {
                return;
            }

            _next++;
            _path.RemoveAll(h => h.Level >= heading.Level);
            _path.Add(heading);
        }
    }
}
