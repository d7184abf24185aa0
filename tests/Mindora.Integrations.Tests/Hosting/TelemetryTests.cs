using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Hosting;

public sealed class TelemetryTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public async Task Operations_emit_a_span_and_measurements_tagged_with_app_target_and_outcome()
    {
        const string app = "telemetry-probe";
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Mindora.Files",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("mindora.app"), app))
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var bytesIn = 0L;
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Mindora.Files")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "mindora.files.bytes_in" && tags.ToArray().Any(t => t.Key == "mindora.app" && Equals(t.Value, app)))
            {
                Interlocked.Add(ref bytesIn, value);
            }
        });
        meters.Start();

        using var files = Stores.Files(temp.NewStoreDirectory(), app);
        await files.EnsureBucketAsync("b");
        await files.UploadAsync("b", "secret-key.txt", new MemoryStream(new byte[1234]));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => files.DownloadAsync("b", "missing"));

        var upload = Assert.Single(spans, s => s.OperationName == "files.upload");
        Assert.Equal("b", upload.GetTagItem("mindora.bucket"));
        Assert.Equal("success", upload.GetTagItem("mindora.outcome"));
        Assert.DoesNotContain(upload.TagObjects, t => Equals(t.Value, "secret-key.txt"));
        var download = Assert.Single(spans, s => s.OperationName == "files.download");
        Assert.Equal("not_found", download.GetTagItem("mindora.outcome"));
        Assert.Equal(ActivityStatusCode.Error, download.Status);
        Assert.Equal(1234, Interlocked.Read(ref bytesIn));
    }
}
