using Microsoft.Extensions.Logging;
using Mindora.Integrations.Cache;
using Mindora.Integrations.Messaging;
using Mindora.Integrations.Search;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Worker;

namespace Mindora.Integrations.Ingestion;

/// <summary>
/// <c>extract-text</c>: reads a document's original, stores its text and records what extraction
/// found (title, characters, pages), then enqueues <c>index-document</c>. Idempotent: a retry
/// overwrites the same text and, through the idempotency key (document and content hash), finds
/// the same follow-up task; a follow-up that already ended settles the document's status here.
/// </summary>
public sealed class ExtractTextHandler(DocumentCatalog catalog, DocumentTypes types, ITaskQueue queue) : TaskHandler<DocumentTaskPayload>
{
    /// <inheritdoc />
    protected override Task<object?> HandleAsync(DocumentTaskPayload payload, TaskContext context, CancellationToken cancellationToken) =>
        IngestionFailures.MarkDocumentOnFailureAsync(catalog, payload, context, async () =>
        {
            ArgumentNullException.ThrowIfNull(context);
            var record = await catalog.GetAsync(payload.DocumentId, cancellationToken).ConfigureAwait(false);
            if (record.Status != DocumentStatus.Indexed)
            {
                // An indexed document stays Indexed while it is processed again (a retry of this
                // step after indexing, or the same content again): its search entry stays valid,
                // and an index task that already ran would never move it back from Processing.
                record = await catalog.SetStatusAsync(record.Id, DocumentStatus.Processing, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

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

            // Before the index task is queued: it indexes the title it reads. The same content
            // processed again changes nothing, so nothing is written (or audited) then.
            record = await catalog.UpdateAsync(
                record.Id,
                r => r with { Title = extracted.Title ?? r.Title, Characters = extracted.Text.Length, Pages = extracted.Pages },
                cancellationToken).ConfigureAwait(false);

            var next = await queue.EnqueueAsync(
                IngestionTaskNames.IndexDocument,
                payload,
                new EnqueueOptions { Queue = context.Task.Queue, Priority = context.Task.Priority, IdempotencyKey = $"{IngestionTaskNames.IndexDocument}:{record.Id}:{record.Sha256}" },
                cancellationToken).ConfigureAwait(false);

            // The key found a follow-up that already ended (a retry of this step, or the same
            // content processed again): nothing will run to move the document on, so do it here.
            switch (next.Status)
            {
                case MindoraTaskStatus.Succeeded when record.Status != DocumentStatus.Indexed:
                    // Same original bytes, same text: the index already holds it.
                    await catalog.UpdateAsync(record.Id, r => r with { Status = DocumentStatus.Indexed, Error = null, IndexTaskId = next.Id }, cancellationToken).ConfigureAwait(false);
                    break;
                case MindoraTaskStatus.Failed or MindoraTaskStatus.Canceled:
                    throw new PermanentTaskFailureException($"Indexing this content already ended without success: {next.Error ?? "the index task was canceled"}");
            }

            return (object?)new { characters = extracted.Text.Length, pages = extracted.Pages, indexTask = next.Id };
        });
}

/// <summary>
/// <c>index-document</c>: indexes a document's extracted text (re-indexing replaces, never
/// duplicates), drops the cached search results (<see cref="DocumentSearchCache"/>) when a cache
/// is registered, marks the document Indexed with this task's id, and publishes
/// <c>document.indexed</c> on <c>user_notifications</c> when messaging is registered.
/// </summary>
public sealed partial class IndexDocumentHandler(DocumentCatalog catalog, IMindoraSearch search, ILogger<IndexDocumentHandler> logger, IMindoraCache? cache = null, IMindoraMessaging? messaging = null) : TaskHandler<DocumentTaskPayload>
{
    /// <inheritdoc />
    protected override Task<object?> HandleAsync(DocumentTaskPayload payload, TaskContext context, CancellationToken cancellationToken) =>
        IngestionFailures.MarkDocumentOnFailureAsync(catalog, payload, context, async () =>
        {
            ArgumentNullException.ThrowIfNull(context);
            var record = await catalog.GetAsync(payload.DocumentId, cancellationToken).ConfigureAwait(false);
            var text = await catalog.ReadTextAsync(record.Id, cancellationToken).ConfigureAwait(false);
            await search.EnsureIndexAsync(DocumentCatalog.SearchIndex, cancellationToken).ConfigureAwait(false);
            await search.IndexAsync(
                DocumentCatalog.SearchIndex,
                new SearchDocument(record.Id, record.Title, text) { Fields = new Dictionary<string, string> { ["fileName"] = record.FileName, ["contentType"] = record.ContentType } },
                cancellationToken).ConfigureAwait(false);
            var dropped = await DropCachedSearchesAsync(cancellationToken).ConfigureAwait(false);
            await catalog.UpdateAsync(record.Id, r => r with { Status = DocumentStatus.Indexed, Error = null, IndexTaskId = context.Task.Id }, cancellationToken).ConfigureAwait(false);
            await DocumentEvents.PublishAsync(messaging, "user_notifications", DocumentEvents.Indexed, new DocumentEvent(record.Id, "indexed"), logger, cancellationToken).ConfigureAwait(false);
            return (object?)new { indexed = record.Id, droppedSearches = dropped };
        });

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

/// <summary>Marks a document Failed when its task fails for good (a permanent error, or the last attempt).</summary>
internal static class IngestionFailures
{
    public static async Task<object?> MarkDocumentOnFailureAsync(DocumentCatalog catalog, DocumentTaskPayload payload, TaskContext context, Func<Task<object?>> step)
    {
        try
        {
            return await step().ConfigureAwait(false);
        }
        catch (Exception e) when (TaskFailures.IsPermanent(e) || (context.IsLastAttempt && !(e is OperationCanceledException && context.IsHandedBack)))
        {
            // On the last attempt a timeout ends the task for good too; left as Processing, the
            // document would never move again. A shutdown or lost lease does not: the task runs again.
            var reason = e is OperationCanceledException
                ? "Processing was canceled on its last attempt: it ran longer than its timeout."
                : e.Message;
            if (DocumentCatalog.IsValidId(payload.DocumentId))
            {
                try
                {
                    await catalog.SetStatusAsync(payload.DocumentId, DocumentStatus.Failed, error: reason, cancellationToken: CancellationToken.None).ConfigureAwait(false);
                }
                catch (MindoraNotFoundException)
                {
                    // The document is gone; nothing to mark.
                }
            }

            throw;
        }
    }
}
