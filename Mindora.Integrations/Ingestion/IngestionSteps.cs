using Microsoft.Extensions.DependencyInjection;
using Mindora.Integrations.Ingestion.Pipeline;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Worker;

namespace Mindora.Integrations.Ingestion;

/// <summary>
/// What every pipeline step does around its work: marks its step running (and the document
/// Processing, unless it is already Indexed: its chunks stay searchable while it is processed
/// again), and marks the document Failed, with the step, when the task fails for good.
/// </summary>
internal static class IngestionSteps
{
    public static Task<object?> RunAsync(DocumentCatalog catalog, DocumentTaskPayload payload, TaskContext context, string step, Func<DocumentRecord, Task<object?>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(context);
        return context.Services.GetService<IngestionTelemetry>() is { } telemetry
            ? telemetry.RunAsync(step, payload.DocumentId, () => RunStepAsync(catalog, payload, context, step, work, cancellationToken))
            : RunStepAsync(catalog, payload, context, step, work, cancellationToken);
    }

    private static async Task<object?> RunStepAsync(DocumentCatalog catalog, DocumentTaskPayload payload, TaskContext context, string step, Func<DocumentRecord, Task<object?>> work, CancellationToken cancellationToken)
    {
        try
        {
            // A step of an older version changes nothing: not even its step's status.
            var stale = false;
            var record = await catalog.UpdateAsync(
                payload.DocumentId,
                r => (stale = payload.Sha256 is { } sha && sha != r.Sha256) ? r : r with
                {
                    Status = r.Status == DocumentStatus.Indexed ? DocumentStatus.Indexed : DocumentStatus.Processing,
                    Steps = DocumentSteps.With(r.Steps, step, DocumentSteps.Running),
                },
                cancellationToken).ConfigureAwait(false);
            return stale
                ? new { skipped = "A newer version of the document was uploaded since this step was queued; its own steps follow." }
                : await work(record).ConfigureAwait(false);
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
                    await catalog.UpdateAsync(
                        payload.DocumentId,
                        r => r with { Status = DocumentStatus.Failed, Error = reason, Steps = DocumentSteps.With(r.Steps, step, DocumentSteps.Failed) },
                        CancellationToken.None).ConfigureAwait(false);
                }
                catch (MindoraNotFoundException)
                {
                    // The document is gone; nothing to mark.
                }
            }

            throw;
        }
    }

    /// <summary>
    /// Enqueues the next step, keyed by the document and this task, so a retry of this step finds
    /// the same follow-up; one that already failed for good fails this one too.
    /// </summary>
    public static async Task<string> EnqueueNextAsync(ITaskQueue queue, TaskContext context, string name, DocumentTaskPayload payload, CancellationToken cancellationToken)
    {
        var next = await queue.EnqueueAsync(
            name,
            payload,
            new EnqueueOptions { Queue = context.Task.Queue, Priority = context.Task.Priority, IdempotencyKey = $"{name}:{payload.DocumentId}:{context.Task.Id}" },
            cancellationToken).ConfigureAwait(false);
        return next.Status is MindoraTaskStatus.Failed or MindoraTaskStatus.Canceled
            ? throw new PermanentTaskFailureException($"The next step ({name}) already ended without success: {next.Error ?? "it was canceled"}")
            : next.Id;
    }
}
