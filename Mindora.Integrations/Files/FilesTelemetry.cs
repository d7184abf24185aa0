using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mindora.Integrations.Files;

/// <summary>The Files spans and metrics (<c>Mindora.Files</c>): operation latency, bytes in and out, failed event handlers.</summary>
internal sealed class FilesTelemetry : IDisposable
{
    private readonly MindoraInstrumentation _instrumentation;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;
    private readonly Counter<long> _handlerFailures;
    private readonly string _app;

    public FilesTelemetry(string app, IMeterFactory? meterFactory)
    {
        _app = app;
        _instrumentation = new MindoraInstrumentation("Files", "mindora.files", "files", "mindora.bucket", meterFactory);
        _bytesIn = _instrumentation.CreateCounter("bytes_in", "By", "Bytes stored by uploads.");
        _bytesOut = _instrumentation.CreateCounter("bytes_out", "By", "Bytes of objects opened for download.");
        _handlerFailures = _instrumentation.CreateCounter("event_handler_failures", "{failure}", "Upload-committed handlers that threw.");
    }

    public Task<T> RunAsync<T>(string operation, string? bucket, Func<Task<T>> body) => _instrumentation.RunAsync(operation, _app, bucket, body);

    public Task RunAsync(string operation, string? bucket, Func<Task> body) => _instrumentation.RunAsync(operation, _app, bucket, body);

    /// <summary>
    /// A child span for one step of an operation (e.g. <c>files.upload.fsync</c>), so a trace shows
    /// where an upload's time goes; null (free) when nobody listens.
    /// </summary>
    public Activity? Step(string name) => _instrumentation.ActivitySource.StartActivity("files." + name, ActivityKind.Internal);

    public void BytesIn(string bucket, long bytes) => _bytesIn.Add(bytes, Tags(bucket));

    public void BytesOut(string bucket, long bytes) => _bytesOut.Add(bytes, Tags(bucket));

    public void HandlerFailures(string bucket, int count)
    {
        if (count > 0)
        {
            _handlerFailures.Add(count, Tags(bucket));
        }
    }

    public void Dispose() => _instrumentation.Dispose();

    private TagList Tags(string bucket) => new() { { MindoraInstrumentation.AppTag, _app }, { "mindora.bucket", bucket } };
}
