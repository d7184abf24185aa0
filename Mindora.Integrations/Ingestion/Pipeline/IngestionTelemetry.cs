using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mindora.Integrations.Ingestion.Pipeline;

/// <summary>
/// The ActivitySource and Meter <c>Mindora.Ingestion</c>: a span <c>ingestion.{step}</c> (tagged with
/// the document id) and a duration per pipeline step with its outcome, and a count of chunks made.
/// </summary>
internal sealed class IngestionTelemetry : IDisposable
{
    private const string DocumentTag = "mindora.document";
    private readonly MindoraInstrumentation _instrumentation;
    private readonly string _app;

    public IngestionTelemetry(IMeterFactory? meterFactory = null, MindoraAppContext? app = null)
    {
        _instrumentation = new MindoraInstrumentation("Ingestion", "mindora.ingestion", "ingestion", "mindora.step", meterFactory);
        _app = app?.AppName ?? "unknown";
        Chunks = _instrumentation.CreateCounter("chunks", "{chunk}", "Chunks made by partitioning documents.");
    }

    public Counter<long> Chunks { get; }

    /// <summary>Runs one step in a span (the document id is a span tag, never a metric tag: it is unbounded).</summary>
    public Task<T> RunAsync<T>(string step, string documentId, Func<Task<T>> body) =>
        _instrumentation.RunAsync(step, _app, null, () =>
        {
            Activity.Current?.SetTag(DocumentTag, documentId);
            return body();
        });

    public void Dispose() => _instrumentation.Dispose();
}
