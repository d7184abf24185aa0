using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Mindora.Integrations.Search;
using Mindora.Integrations.Vectors;

namespace Mindora.Integrations.Ingestion.Pipeline;

/// <summary>
/// The chunks of an app's documents in the search index <see cref="SearchIndex"/> (one entry per
/// chunk: document id, title, page, section, tags, text) and, when the app has a vector store and
/// an embedding generator, in the vector collection <see cref="Collection"/> (one point per chunk,
/// the same fields as payload). Chunk ids are stable (<see cref="DocumentChunk.Id"/>): saving a
/// document again replaces its chunks and removes those beyond its new count.
/// </summary>
public sealed class DocumentChunkIndex(IMindoraSearch search, IMindoraVectors? vectors = null, IEmbeddingGenerator<string, Embedding<float>>? embeddings = null)
{
    /// <summary>The mapped search index of chunks.</summary>
    public const string SearchIndex = "chunks";

    /// <summary>The vector collection of chunks.</summary>
    public const string Collection = "chunks";

    /// <summary>Reciprocal rank fusion's constant: a hit at rank r adds 1 / (k + r).</summary>
    public const int RrfK = 60;

    private const int BulkSize = 500;
    private const int HighlightWords = 60;
    private const int MaxAnyWords = 32;
    private const string TagField = "tag";

    private static readonly SearchMapping Mapping = new(new Dictionary<string, SearchFieldType>
    {
        ["documentId"] = SearchFieldType.Keyword,
        ["chunk"] = SearchFieldType.Number,
        ["title"] = SearchFieldType.Text,
        ["section"] = SearchFieldType.Text,
        ["content"] = SearchFieldType.Text,
        ["page"] = SearchFieldType.Number,
        ["fileName"] = SearchFieldType.Keyword,
        ["contentType"] = SearchFieldType.Keyword,
    }.Concat(Enumerable.Range(0, DocumentTags.MaxTags).Select(i => KeyValuePair.Create(TagField + i.ToString(CultureInfo.InvariantCulture), SearchFieldType.Keyword)))
     .ToDictionary());

    private volatile bool _indexCreated;

    /// <summary>Whether chunks are also stored and searched as vectors.</summary>
    public bool HasVectors => vectors is not null && embeddings is not null;

    /// <summary>Writes a document's chunks (and their embeddings, one per chunk, when given) and removes its chunks beyond them.</summary>
    /// <exception cref="MindoraValidationException">The search index refused a chunk, or the embeddings do not match the chunks.</exception>
    public async Task SaveAsync(DocumentRecord document, IReadOnlyList<DocumentChunk> chunks, IReadOnlyList<ReadOnlyMemory<float>>? chunkEmbeddings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(chunks);
        var tags = DocumentTags.Parse(document.Tags);
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        foreach (var batch in chunks.Chunk(BulkSize))
        {
            var results = await search.BulkAsync(SearchIndex, batch.Select(c => new BulkOperation(c.Id, ToSearchDocument(document, c, tags))).ToList(), cancellationToken).ConfigureAwait(false);
            if (results.FirstOrDefault(r => !r.Succeeded) is { } failed)
            {
                throw new MindoraValidationException("chunks", $"The search index refused chunk {failed.Id}: {failed.Error}");
            }
        }

        if (vectors is not null && chunkEmbeddings is not null)
        {
            if (chunkEmbeddings.Count != chunks.Count)
            {
                throw new MindoraValidationException("embeddings", $"{chunkEmbeddings.Count} embeddings were stored for {chunks.Count} chunks; embed the document again.");
            }

            if (chunks.Count > 0)
            {
                await vectors.EnsureCollectionAsync(Collection, chunkEmbeddings[0].Length, VectorDistance.Cosine, cancellationToken).ConfigureAwait(false);
                foreach (var batch in chunks.Select((c, i) => new VectorPoint(c.Id, chunkEmbeddings[i], ToPayload(document, c, tags))).Chunk(256))
                {
                    await vectors.UpsertAsync(Collection, batch, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        await RemoveAsync(document.Id, chunks.Count, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a document's chunks from index <paramref name="fromChunk"/> on (all of them by default) from the index and the collection.</summary>
    public async Task RemoveAsync(string documentId, int fromChunk = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var stale = SearchQueries.Bool(filter: [SearchQueries.Term("documentId", documentId), SearchQueries.Range("chunk", gte: fromChunk)]);
        while (true)
        {
            var page = await search.QueryAsync(SearchIndex, new SearchRequest(stale) { Size = 100 }, cancellationToken).ConfigureAwait(false);
            if (page.Hits.Count == 0)
            {
                break;
            }

            var deleted = await search.BulkAsync(SearchIndex, page.Hits.Select(h => new BulkOperation(h.Id, null)).ToList(), cancellationToken).ConfigureAwait(false);
            if (deleted.FirstOrDefault(r => !r.Succeeded) is { } failed)
            {
                // Asking again would find the same chunk forever.
                throw new MindoraUnavailableException($"The search index did not delete chunk {failed.Id}: {failed.Error}");
            }
        }

        if (vectors is not null && await vectors.GetCollectionAsync(Collection, cancellationToken).ConfigureAwait(false) is not null)
        {
            await vectors.DeleteAsync(
                Collection,
                VectorFilter.Bool(must: [VectorFilter.Match("documentId", documentId), VectorFilter.Range("chunk", gte: fromChunk)]),
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The best chunks for <paramref name="query"/>, best first. Keyword search asks for every word
    /// of the query in one field, or — with <paramref name="anyWord"/>, for questions in natural
    /// language — any of them, ranked by how well they match. Semantic search keeps only chunks at
    /// least <paramref name="minSimilarity"/> (cosine) close, when given.
    /// </summary>
    /// <exception cref="MindoraValidationException">The query is too long or <paramref name="size"/> is not 1 to 100.</exception>
    /// <exception cref="MindoraUnavailableException">Semantic or hybrid search was asked of an app without vectors or embeddings.</exception>
    public async Task<IReadOnlyList<ChunkHit>> SearchAsync(string query, ChunkSearchMode mode, ChunkFilter? filter = null, int size = 10, bool anyWord = false, double? minSimilarity = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (size is < 1 or > 100)
        {
            throw new MindoraValidationException(nameof(size), $"Size {size} is out of range: 1 to 100.");
        }

        filter ??= new ChunkFilter();
        return mode switch
        {
            ChunkSearchMode.Keyword => await KeywordAsync(query, filter, size, anyWord, cancellationToken).ConfigureAwait(false),
            ChunkSearchMode.Semantic => await SemanticAsync(query, filter, size, minSimilarity, cancellationToken).ConfigureAwait(false),
            _ => Fuse(
                await KeywordAsync(query, filter, Math.Min(100, size * 2), anyWord, cancellationToken).ConfigureAwait(false),
                await SemanticAsync(query, filter, Math.Min(100, size * 2), minSimilarity, cancellationToken).ConfigureAwait(false),
                size),
        };
    }

    /// <summary>Reciprocal rank fusion: each list adds 1 / (<see cref="RrfK"/> + rank) to a chunk's score (rank from 1); the keyword hit's highlight is kept.</summary>
    public static IReadOnlyList<ChunkHit> Fuse(IReadOnlyList<ChunkHit> keyword, IReadOnlyList<ChunkHit> semantic, int size)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        ArgumentNullException.ThrowIfNull(semantic);
        var fused = new Dictionary<(string, int), (ChunkHit Hit, double Score)>();
        foreach (var list in new[] { keyword, semantic })
        {
            for (var rank = 0; rank < list.Count; rank++)
            {
                var hit = list[rank];
                var key = (hit.DocumentId, hit.Chunk);
                var add = 1.0 / (RrfK + rank + 1);
                fused[key] = fused.TryGetValue(key, out var seen) ? (seen.Hit, seen.Score + add) : (hit, add);
            }
        }

        return fused.Values
            .OrderByDescending(f => f.Score).ThenBy(f => f.Hit.DocumentId, StringComparer.Ordinal).ThenBy(f => f.Hit.Chunk)
            .Take(size)
            .Select(f => f.Hit with { Score = f.Score })
            .ToList();
    }

    private async Task<IReadOnlyList<ChunkHit>> KeywordAsync(string query, ChunkFilter filter, int size, bool anyWord, CancellationToken cancellationToken)
    {
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var texts = anyWord ? FtsQuery.Terms(query, splitCjk: false).Select(t => t.Text).Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxAnyWords).ToList() : [query];
        if (texts.Count == 0)
        {
            return [];
        }

        var words = SearchQueries.Bool(should: [.. texts.SelectMany(t => new[] { SearchQueries.Match("content", t), SearchQueries.Match("section", t), SearchQueries.Match("title", t) })]);
        var request = new SearchRequest(SearchQueries.Bool(must: [words], filter: Filters(filter))) { Size = size, Highlight = ["content", "title"] };
        var results = await search.QueryAsync(SearchIndex, request, cancellationToken).ConfigureAwait(false);
        return results.Hits.Select(h =>
        {
            var text = h.Source["content"]?.GetValue<string>() ?? string.Empty;
            return ToHit(h.Source, h.Highlights.GetValueOrDefault("content") ?? Highlight(text, query), h.Highlights.GetValueOrDefault("title"), query, h.Score);
        }).ToList();
    }

    private async Task<IReadOnlyList<ChunkHit>> SemanticAsync(string query, ChunkFilter filter, int size, double? minSimilarity, CancellationToken cancellationToken)
    {
        if (vectors is null || embeddings is null)
        {
            throw new MindoraUnavailableException("Semantic search needs a vector store (a 'qdrant' connection string) and an embedding generator.");
        }

        if (await vectors.GetCollectionAsync(Collection, cancellationToken).ConfigureAwait(false) is null)
        {
            return [];
        }

        var vector = await embeddings.GenerateVectorAsync(query, cancellationToken: cancellationToken).ConfigureAwait(false);
        var must = new List<VectorFilter>();
        if (filter.DocumentId is not null)
        {
            must.Add(VectorFilter.Match("documentId", filter.DocumentId));
        }

        if (filter.Tag is not null)
        {
            must.Add(VectorFilter.Match("tags", DocumentTags.Check(filter.Tag)));
        }

        var hits = await vectors.SearchAsync(Collection, new VectorSearchRequest { Vector = vector, Top = size, ScoreThreshold = minSimilarity, Filter = must.Count == 0 ? null : VectorFilter.Bool(must: must) }, cancellationToken).ConfigureAwait(false);
        return hits.Where(h => h.Payload is not null)
            .Select(h => ToHit(h.Payload!, Highlight(h.Payload!["content"]?.GetValue<string>() ?? string.Empty, query), null, query, h.Score))
            .ToList();
    }

    private async Task EnsureIndexAsync(CancellationToken cancellationToken)
    {
        if (!_indexCreated)
        {
            await search.CreateIndexAsync(SearchIndex, Mapping, cancellationToken).ConfigureAwait(false);
            _indexCreated = true;
        }
    }

    private static List<SearchClause> Filters(ChunkFilter filter)
    {
        var filters = new List<SearchClause>();
        if (filter.DocumentId is not null)
        {
            filters.Add(SearchQueries.Term("documentId", filter.DocumentId));
        }

        if (filter.Tag is not null)
        {
            var tag = DocumentTags.Check(filter.Tag);
            filters.Add(SearchQueries.Bool(should: [.. Enumerable.Range(0, DocumentTags.MaxTags).Select(i => SearchQueries.Term(TagField + i.ToString(CultureInfo.InvariantCulture), tag))]));
        }

        return filters;
    }

    private static string Highlight(string text, string query) =>
        SearchHighlighter.Snippet(text, FtsQuery.Terms(query, splitCjk: false), splitCjk: true, HighlightWords);

    private static ChunkHit ToHit(JsonObject source, string highlight, string? highlightedTitle, string query, double score) => new(
        source["documentId"]!.GetValue<string>(),
        (int)Number(source["chunk"])!.Value,
        source["title"]?.GetValue<string>() ?? string.Empty,
        highlightedTitle ?? SearchHighlighter.Highlight(source["title"]?.GetValue<string>() ?? string.Empty, FtsQuery.Terms(query, splitCjk: false), splitCjk: true),
        Number(source["page"]) is { } page ? (int)page : null,
        source["section"]?.GetValue<string>(),
        highlight,
        source["content"]?.GetValue<string>() ?? string.Empty,
        score);

    private static double? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<double>(out var d) ? d : null;

    private static JsonObject ToSearchDocument(DocumentRecord document, DocumentChunk chunk, IReadOnlyList<string> tags)
    {
        var source = new JsonObject
        {
            ["documentId"] = document.Id,
            ["chunk"] = chunk.Index,
            ["title"] = document.Title,
            ["content"] = chunk.Text,
            ["fileName"] = document.FileName,
            ["contentType"] = document.ContentType,
        };
        if (chunk.Section is not null)
        {
            source["section"] = chunk.Section;
        }

        if (chunk.Page is { } page)
        {
            source["page"] = page;
        }

        for (var i = 0; i < tags.Count; i++)
        {
            source[TagField + i.ToString(CultureInfo.InvariantCulture)] = tags[i];
        }

        return source;
    }

    private static JsonObject ToPayload(DocumentRecord document, DocumentChunk chunk, IReadOnlyList<string> tags) => new()
    {
        ["documentId"] = document.Id,
        ["chunk"] = chunk.Index,
        ["title"] = document.Title,
        ["content"] = chunk.Text,
        ["section"] = chunk.Section,
        ["page"] = chunk.Page,
        ["tags"] = new JsonArray([.. tags.Select(t => (JsonNode)JsonValue.Create(t))]),
    };
}
