using System.Diagnostics.Metrics;

namespace Mindora.Integrations.Data;

/// <summary>The Data capability's ActivitySource and Meter (<c>Mindora.Data</c>), one per host.</summary>
internal sealed class DataTelemetry : IDisposable
{
    public DataTelemetry(string app, IMeterFactory? meterFactory)
    {
        App = app;
        Instrumentation = new MindoraInstrumentation("Data", "mindora.data", "data", "db.collection.name", meterFactory);
        CommandDuration = Instrumentation.Meter.CreateHistogram<double>("mindora.data.command.duration", "s", "Duration of database commands sent by Mindora DbContexts.");
    }

    public string App { get; }

    /// <summary>Spans and durations of whole operations (migrate, bulk insert).</summary>
    public MindoraInstrumentation Instrumentation { get; }

    public Histogram<double> CommandDuration { get; }

    public void Dispose() => Instrumentation.Dispose();
}
