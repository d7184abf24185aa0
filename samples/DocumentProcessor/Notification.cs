namespace DocumentProcessor;

/// <summary>One event streamed to browsers.</summary>
/// <param name="Id">The message id (the SSE <c>id:</c>).</param>
/// <param name="Event">The event name, the routing key (<c>document.indexed</c>).</param>
/// <param name="DocumentId">The document it is about.</param>
/// <param name="Status">The document's status after the event.</param>
/// <param name="At">When it was published.</param>
public sealed record Notification(string Id, string Event, string DocumentId, string Status, DateTimeOffset At);
