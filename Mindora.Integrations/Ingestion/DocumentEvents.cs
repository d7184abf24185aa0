using Microsoft.Extensions.Logging;
using Mindora.Integrations.Messaging;

namespace Mindora.Integrations.Ingestion;

/// <summary>What happened to a document, as published on the message bus.</summary>
/// <param name="DocumentId">The document.</param>
/// <param name="Status">Its status after the event (<c>queued</c>, <c>indexed</c>).</param>
public sealed record DocumentEvent(string DocumentId, string Status);

/// <summary>
/// The sample's events: <c>document.uploaded</c> on <c>system_events</c> after an upload and
/// <c>document.indexed</c> on <c>user_notifications</c> when the worker has indexed it. They inform;
/// the document's processing does not depend on them, so a publish that fails is logged, not thrown.
/// </summary>
public static partial class DocumentEvents
{
    /// <summary>Routing key after an upload.</summary>
    public const string Uploaded = "document.uploaded";

    /// <summary>Routing key after indexing.</summary>
    public const string Indexed = "document.indexed";

    /// <summary>Publishes a <see cref="DocumentEvent"/> (correlated by the document id) when messaging is registered.</summary>
    public static async Task PublishAsync(IMindoraMessaging? messaging, string exchange, string routingKey, DocumentEvent documentEvent, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documentEvent);
        if (messaging is null)
        {
            return;
        }

        try
        {
            await messaging.PublishAsync(exchange, routingKey, documentEvent, new MessageOptions { CorrelationId = documentEvent.DocumentId }, cancellationToken).ConfigureAwait(false);
        }
        catch (MindoraException e)
        {
            NotPublished(logger, routingKey, documentEvent.DocumentId, e.Message);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Event {RoutingKey} for document {DocumentId} was not published: {Reason}")]
    private static partial void NotPublished(ILogger logger, string routingKey, string documentId, string reason);
}
