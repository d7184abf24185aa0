using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mindora.Integrations.Messaging;

/// <summary>
/// Spans and counters of <c>Mindora.Messaging</c>. A publish span (kind Producer) writes its W3C
/// trace context into the message headers; the consumer's span (kind Consumer) continues that
/// trace, so one trace runs from the publisher to every handler.
/// </summary>
internal sealed class MessagingTelemetry : IDisposable
{
    private readonly MindoraInstrumentation _instrumentation;
    private readonly Counter<long> _published;
    private readonly Counter<long> _handled;

    public MessagingTelemetry(IMeterFactory? meters)
    {
        _instrumentation = new MindoraInstrumentation("Messaging", "mindora.messaging", "messaging", "messaging.destination.name", meters);
        _published = _instrumentation.CreateCounter("published", "{message}", "Messages confirmed by the store.");
        _handled = _instrumentation.CreateCounter("handled", "{message}", "Deliveries handled, by outcome (acked, retried, dead_lettered).");
    }

    public MindoraInstrumentation Instrumentation => _instrumentation;

    /// <summary>Starts the producer span and adds the trace context to <paramref name="headers"/>.</summary>
    public Activity? StartPublish(string app, string destination, string messageId, Dictionary<string, string> headers)
    {
        var activity = _instrumentation.ActivitySource.StartActivity($"{destination} publish", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "mindora");
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.destination.name", destination);
        activity?.SetTag("messaging.message.id", messageId);
        activity?.SetTag(MindoraInstrumentation.AppTag, app);
        TraceContext.Inject(activity ?? Activity.Current, headers);

        return activity;
    }

    public void Published(string app, string destination) =>
        _published.Add(1, new TagList { { MindoraInstrumentation.AppTag, app }, { "messaging.destination.name", destination } });

    /// <summary>Starts the consumer span as a child of the publisher's context carried in the headers.</summary>
    public Activity? StartProcess(string app, string queue, MessageEnvelope message)
    {
        var parent = TraceContext.Extract(message.Headers);
        var activity = _instrumentation.ActivitySource.StartActivity($"{queue} process", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.system", "mindora");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.destination.name", queue);
        activity?.SetTag("messaging.message.id", message.MessageId);
        activity?.SetTag("messaging.message.delivery_attempt", message.Attempt);
        activity?.SetTag(MindoraInstrumentation.AppTag, app);
        return activity;
    }

    public void Handled(string app, string queue, string outcome) =>
        _handled.Add(1, new TagList { { MindoraInstrumentation.AppTag, app }, { "messaging.destination.name", queue }, { MindoraInstrumentation.OutcomeTag, outcome } });

    public void Dispose() => _instrumentation.Dispose();
}
