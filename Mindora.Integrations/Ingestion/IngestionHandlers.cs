using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mindora.Integrations.Cache;
using Mindora.Integrations.Ingestion.Pipeline;
using Mindora.Integrations.Messaging;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Worker;

namespace Mindora.Integrations.Ingestion;

/// <summary>
/// <c>extract-text</c>: the <c>extract</c> and <c>partition</c> steps. Reads a document's original,
/// stores its text and what extraction found (title, characters, pages), cuts the text into
/// chunks (<see cref="TextPartitioner"/>) and stores them, then enqueues <c>embed-document</c>.
/// Idempotent: a retry overwrites the same text and chunks and, through the idempotency key
/// (document and this task), finds the same follow-up task.
/// </summary>
public sealed class ExtractTextHandler(DocumentCatalog catalog, DocumentTypes types, TextPartitioner partitioner, IOptions<IngestionOptions> options, ITaskQueue queue) : TaskHandler<DocumentTaskPayload>
{
    /// <inheritdoc />
    protected override Task<object?> HandleAsync(DocumentTaskPayload payload, TaskContext context, CancellationToken cancellationToken) =>
        IngestionSteps.RunAsync(catalog, payload, context, DocumentSteps.Extract, async record =>
        {
            var extractor = types.ForContentType(record.ContentType);
            ExtractedText extracted;
            await using (var original = await catalog.OpenOriginalAsync(record.Id, cancellationToken).ConfigureAwait(false))
            {
                extracted = await extractor.ExtractAsync(original.Content, record.FileName, record.ContentType, cancellationToken).ConfigureAwait(false);
            }

            if (string.IsNullOrWhiteSpace(extracted.Text))
            {
                throw new PermanentTaskFailureException("The document contains no text to index.");
            }

            await catalog.StoreTextAsync(record.Id, extracted.Text, cancellationToken).ConfigureAwait(false);
            await catalog.UpdateAsync(
                record.Id,
                r => r with
                {
                    Title = extracted.Title ?? r.Title,
                    Characters = extracted.Text.Length,
                    Pages = extracted.Pages,
                    Steps = DocumentSteps.With(DocumentSteps.With(r.Steps, DocumentSteps.Extract, DocumentSteps.Done), DocumentSteps.Partition, DocumentSteps.Running),
                },
                cancellationToken).ConfigureAwait(false);

            var chunks = partitioner.Partition(record.Id, extracted);
            if (chunks.Count > options.Value.MaxChunks)
            {
                throw new PermanentTaskFailureException($"The document makes {chunks.Count} chunks; at most {options.Value.MaxChunks} are allowed (Mindora:Ingestion:MaxChunks).");
            }

            await catalog.StoreChunksAsync(record.Id, chunks, cancellationToken).ConfigureAwait(false);
            context.Services.GetService<IngestionTelemetry>()?.Chunks.Add(chunks.Count);
            await catalog.UpdateAsync(record.Id, r => r with { Chunks = chunks.Count, Steps = DocumentSteps.With(r.Steps, DocumentSteps.Partition, DocumentSteps.Done) }, cancellationToken).ConfigureAwait(false);
            var next = await IngestionSteps.EnqueueNextAsync(queue, context, IngestionTaskNames.EmbedDocument, payload with { Sha256 = record.Sha256 }, cancellationToken).ConfigureAwait(false);
            return (object?)new { characters = extracted.Text.Length, pages = extracted.Pages, chunks = chunks.Count, embedTask = next };
        }, cancellationToken);
}

/// <summary>
/// <c>embed-document</c>: the <c>embed</c> step. Embeds every stored chunk (its section's headings
/// as context) and stores the vectors, then enqueues <c>index-document</c>. Without a vector store
/// the step is <c>skipped</c>. Idempotent: embeddings are cached by content hash, so a retry is cheap.
/// </summary>
public sealed class EmbedDocumentHandler(DocumentCatalog catalog, DocumentChunkIndex index, ITaskQueue queue, IEmbeddingGenerator<string, Embedding<float>>? embeddings = null) : TaskHandler<DocumentTaskPayload>
{
    private const int BatchSize = 64;

    /// <inheritdoc />
    protected override Task<object?> HandleAsync(DocumentTaskPayload payload, TaskContext context, CancellationToken cancellationToken) =>
        IngestionSteps.RunAsync(catalog, payload, context, DocumentSteps.Embed, async record =>
        {
            var state = DocumentSteps.Skipped;
            var embedded = 0;
            if (index.HasVectors && embeddings is not null)
            {
                var chunks = await catalog.ReadChunksAsync(record.Id, cancellationToken).ConfigureAwait(false);
                var vectors = new List<ReadOnlyMemory<float>>(chunks.Count);
                foreach (var batch in chunks.Chunk(BatchSize))
                {
                    var generated = await embeddings.GenerateAsync(batch.Select(c => c.EmbeddingText), cancellationToken: cancellationToken).ConfigureAwait(false);
                    vectors.AddRange(generated.Select(e => e.Vector));
                }

                await catalog.StoreEmbeddingsAsync(record.Id, vectors, cancellationToken).ConfigureAwait(false);
                state = DocumentSteps.Done;
                embedded = vectors.Count;
            }

            await catalog.UpdateAsync(record.Id, r => r with { Steps = DocumentSteps.With(r.Steps, DocumentSteps.Embed, state) }, cancellationToken).ConfigureAwait(false);
            var next = await IngestionSteps.EnqueueNextAsync(queue, context, IngestionTaskNames.IndexDocument, payload, cancellationToken).ConfigureAwait(false);
            return (object?)new { embedded, step = state, indexTask = next };
        }, cancellationToken);
}

/// <summary>
/// <c>index-document</c>: the <c>save</c> step. Writes the stored chunks to the search index and
/// (when embedded) their vectors to the collection through <see cref="DocumentChunkIndex"/>, removing
/// chunks beyond the new count; drops the cached search results (<see cref="DocumentSearchCache"/>)
/// when a cache is registered, marks the document Indexed with this task's id, and publishes
/// <c>document.indexed</c> on <c>user_notifications</c> when messaging is registered.
/// </summary>
public sealed partial class IndexDocumentHandler(DocumentCatalog catalog, DocumentChunkIndex index, ILogger<IndexDocumentHandler> logger, IMindoraCache? cache = null, IMindoraMessaging? messaging = null) : TaskHandler<DocumentTaskPayload>
{
    /// <inheritdoc />
    protected override Task<object?> HandleAsync(DocumentTaskPayload payload, TaskContext context, CancellationToken cancellationToken) =>
        IngestionSteps.RunAsync(catalog, payload, context, DocumentSteps.Save, async record =>
        {
            ArgumentNullException.ThrowIfNull(context);
            var chunks = await catalog.ReadChunksAsync(record.Id, cancellationToken).ConfigureAwait(false);
            var embedded = DocumentSteps.Parse(record.Steps)[DocumentSteps.Embed] == DocumentSteps.Done;
            var vectors = embedded ? await catalog.ReadEmbeddingsAsync(record.Id, cancellationToken).ConfigureAwait(false) : null;
            await index.SaveAsync(record, chunks, vectors, cancellationToken).ConfigureAwait(false);

            // Deleted while this step ran: what was just written must not outlive it.
            if (await catalog.FindAsync(record.Id, cancellationToken).ConfigureAwait(false) is null)
            {
                await index.RemoveAsync(record.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
                throw new MindoraNotFoundException($"Document '{record.Id}'");
            }

            var dropped = await DropCachedSearchesAsync(cancellationToken).ConfigureAwait(false);
            await catalog.UpdateAsync(
                record.Id,
                r => r with { Status = DocumentStatus.Indexed, Error = null, IndexTaskId = context.Task.Id, Steps = DocumentSteps.With(r.Steps, DocumentSteps.Save, DocumentSteps.Done) },
                cancellationToken).ConfigureAwait(false);
            await DocumentEvents.PublishAsync(messaging, "user_notifications", DocumentEvents.Indexed, new DocumentEvent(record.Id, "indexed"), logger, cancellationToken).ConfigureAwait(false);
            return (object?)new { indexed = record.Id, chunks = chunks.Count, vectors = vectors?.Count ?? 0, droppedSearches = dropped };
        }, cancellationToken);

    // Searches cached before this change would miss the document until they expire. A cache that
    // cannot be reached does not fail the document: the index is right, the entries expire.
    private async Task<long?> DropCachedSearchesAsync(CancellationToken cancellationToken)
    {
        if (cache is null)
        {
            return null;
        }

        try
        {
            return await cache.RemoveByPrefixAsync(DocumentSearchCache.Prefix, cancellationToken).ConfigureAwait(false);
        }
        catch (MindoraException e)
        {
            CacheNotDropped(logger, e.Message);
            return null;
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Cached search results could not be dropped after indexing; they expire with their time to live: {Reason}")]
    private static partial void CacheNotDropped(ILogger logger, string reason);
}
