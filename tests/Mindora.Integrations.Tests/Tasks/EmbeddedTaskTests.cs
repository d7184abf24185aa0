using Mindora.Integrations.Tasks;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Tasks;

/// <summary>The task suite on the embedded store: every instance opens the same directory, as the processes of one machine do.</summary>
public sealed class EmbeddedTaskTests(TempDirectory temp) : TaskSuite, IClassFixture<TempDirectory>
{
    private readonly string _directory = temp.NewStoreDirectory();

    protected override Task<string> NewAppAsync() => Task.FromResult("app-" + Guid.NewGuid().ToString("N")[..10]);

    private protected override ITasksProvider OpenProvider(string app, MindoraTasksOptions options, TimeProvider time) =>
        new EmbeddedTaskStore(_directory, app, options, null, time);

    protected override string ConnectionString(string app) => MindoraConnectionString.ForEmbedded(_directory);
}
