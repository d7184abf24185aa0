using Mindora.Integrations.Search;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Worker;

namespace Mindora.Integrations.Ingestion;

/// <summary>
/// <c>extract-text</c>: reads a document's original, stores its text, then enqueues
/// <c>index-document</c>. Idempotent: a retry overwrites the same text and, through the
/// idempotency key, finds the same follow-up task.
/// </summary>
public sealed class ExtractTextHandler(DocumentCatalog catalog, DocumentTypes types, ITaskQueue queue) : TaskHandler<DocumentTaskPayload>
{
    /// <inheritdoc />
    protected override Task<object?> HandleAsync(DocumentTaskPayload payload, TaskContext context, CancellationToken cancellationToken) =>
        IngestionFailures.MarkDocumentOnFailureAsync(catalog, payload, context, async () =>
        {
            ArgumentNullException.ThrowIfNull(context);
            var record = await catalog.SetStatusAsync(payload.DocumentId, DocumentStatus.Processing, cancellationToken: cancellationToken).ConfigureAwait(false);
            var extractor = types.ForContentType(record.ContentType);
            ExtractedText extracted;
            await using (var original = await catalog.OpenOriginalAsync(record.Id, cancellationToken).ConfigureAwait(false))
            {
                extracted = await extractor.ExtractAsync(original.Content, record.FileName, cancellationToken).ConfigureAwait(false);
            }

            if (string.IsNullOrWhiteSpace(extracted.Text))
            {
                throw new PermanentTaskFailureException("The document contains no text to index.");
            }

            await catalog.StoreTextAsync(record.Id, extracted.Text, cancellationToken).ConfigureAwait(false);
            if (extracted.Title is { } title && title != record.Title)
            {
                await catalog.SetStatusAsync(record.Id, DocumentStatus.Processing, title: title, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            var next = await queue.EnqueueAsync(
                IngestionTaskNames.IndexDocument,
                payload,
                new EnqueueOptions { Queue = context.Task.Queue, Priority = context.Task.Priority, IdempotencyKey = $"{IngestionTaskNames.IndexDocument}:{record.Id}:{record.Sha256}" },
                cancellationToken).ConfigureAwait(false);
            return (object?)new { characters = extracted.Text.Length, indexTask = next.Id };
        });
}

/// <summary><c>index-document</c>: indexes a document's extracted text; re-indexing replaces, never duplicates.</summary>
public sealed class IndexDocumentHandler(DocumentCatalog catalog, IMindoraSearch search) : TaskHandler<DocumentTaskPayload>
{
    /// <inheritdoc />
    protected override Task<object?> HandleAsync(DocumentTaskPayload payload, TaskContext context, CancellationToken cancellationToken) =>
        IngestionFailures.MarkDocumentOnFailureAsync(catalog, payload, context, async () =>
        {
            var record = await catalog.GetAsync(payload.DocumentId, cancellationToken).ConfigureAwait(false);
            var text = await catalog.ReadTextAsync(record.Id, cancellationToken).ConfigureAwait(false);
            await search.EnsureIndexAsync(DocumentCatalog.SearchIndex, cancellationToken).ConfigureAwait(false);
            await search.IndexAsync(
                DocumentCatalog.SearchIndex,
                new SearchDocument(record.Id, record.Title, text) { Fields = new Dictionary<string, string> { ["fileName"] = record.FileName, ["contentType"] = record.ContentType } },
                cancellationToken).ConfigureAwait(false);
            await catalog.SetStatusAsync(record.Id, DocumentStatus.Indexed, cancellationToken: cancellationToken).ConfigureAwait(false);
            return (object?)new { indexed = record.Id };
        });
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
        catch (Exception e) when (e is not OperationCanceledException && (context.IsLastAttempt || TaskFailures.IsPermanent(e)))
        {
            if (DocumentCatalog.IsValidId(payload.DocumentId))
            {
                try
                {
                    await catalog.SetStatusAsync(payload.DocumentId, DocumentStatus.Failed, error: e.Message, cancellationToken: CancellationToken.None).ConfigureAwait(false);
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
