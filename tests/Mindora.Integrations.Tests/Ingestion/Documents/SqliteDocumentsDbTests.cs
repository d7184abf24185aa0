using Mindora.Integrations.Tests.Support;
using Mindora.Testing;

namespace Mindora.Integrations.Tests.Ingestion.Documents;

/// <summary>The documents database suite on the embedded provider: the app's SQLite file in its directory.</summary>
public sealed class SqliteDocumentsDbTests(TempDirectory temp) : DocumentsDbSuite, IClassFixture<TempDirectory>
{
    protected override Task<DocumentsTarget> NewTargetAsync()
    {
        var directory = temp.NewStoreDirectory();
        return Task.FromResult(new DocumentsTarget(SharedServers.NewAppName(), directory, $"Embedded={directory};Database=db"));
    }
}
