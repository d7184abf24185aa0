using System.Diagnostics.Metrics;

namespace Mindora.Integrations.Vectors;

/// <summary>The ActivitySource and Meter <c>Mindora.Vectors</c>: a span and a duration per operation, and a count of points written.</summary>
internal sealed class VectorsTelemetry : IDisposable
{
    private readonly MindoraInstrumentation _instrumentation;

    public VectorsTelemetry(IMeterFactory? meterFactory)
    {
        _instrumentation = new MindoraInstrumentation("Vectors", "mindora.vectors", "vectors", "mindora.collection", meterFactory);
        Upserted = _instrumentation.CreateCounter("points_upserted", "{point}", "Points inserted or replaced.");
        GraphsBuilt = _instrumentation.CreateCounter("graphs_built", "{graph}", "HNSW graphs built from the vectors (embedded store).");
        GraphsLoaded = _instrumentation.CreateCounter("graphs_loaded", "{graph}", "HNSW graphs restored from a persisted file (embedded store).");
        GraphSaveFailures = _instrumentation.CreateCounter("graph_save_failures", "{graph}", "HNSW graphs that could not be written (embedded store).");
    }

    public Counter<long> Upserted { get; }

    public Counter<long> GraphsBuilt { get; }

    public Counter<long> GraphsLoaded { get; }

    public Counter<long> GraphSaveFailures { get; }

    public Task<T> RunAsync<T>(string operation, string app, string collection, Func<Task<T>> body) => _instrumentation.RunAsync(operation, app, collection, body);

    public Task RunAsync(string operation, string app, string collection, Func<Task> body) => _instrumentation.RunAsync(operation, app, collection, body);

    public void Dispose() => _instrumentation.Dispose();
}
