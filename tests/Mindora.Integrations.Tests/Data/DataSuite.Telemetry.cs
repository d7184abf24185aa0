using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Mindora.Integrations.Data;

namespace Mindora.Integrations.Tests.Data;

public abstract partial class DataSuite
{
    [Fact]
    public async Task Commands_are_traced_with_db_system_and_the_statement_without_its_values()
    {
        var target = await NewTargetAsync();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Mindora.Data",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("mindora.app"), target.App))
                {
                    spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = await DataHost.StartAsync(target);

        // A constant is written into the SQL by EF Core; a variable travels as a parameter.
        const string slug = "value-7f3a9c";
        var priority = 424242;
        await host.WithDbAsync(db => db.CreateAsync(new Note { Title = "traced", Slug = slug, Priority = priority }));
        var found = await host.WithDbAsync(async db => (
            await db.Notes.Where(n => n.Slug == slug).CountAsync(),
            await db.Notes.Where(n => n.Priority == priority).CountAsync()));

        Assert.Equal((1, 1), found);
        Assert.Contains(spans, s => s.OperationName == "data.migrate");
        var commands = spans.Where(s => s.Kind == ActivityKind.Client).ToList();
        Assert.All(commands, s => Assert.Equal(DbSystem, s.GetTagItem("db.system")));
        Assert.Contains(commands, s => s.GetTagItem("db.operation") as string == "INSERT" && ((string)s.GetTagItem("db.statement")!).Contains("notes", StringComparison.Ordinal));
        Assert.Contains(commands, s => s.GetTagItem("db.operation") as string == "SELECT" && ((string)s.GetTagItem("db.statement")!).Contains("Slug", StringComparison.Ordinal));
        Assert.All(commands, s => Assert.DoesNotContain(slug, (string)s.GetTagItem("db.statement")!, StringComparison.Ordinal));
        Assert.All(commands, s => Assert.DoesNotContain("424242", (string)s.GetTagItem("db.statement")!, StringComparison.Ordinal));
    }
}
