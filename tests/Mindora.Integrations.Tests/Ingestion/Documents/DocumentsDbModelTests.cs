using Microsoft.EntityFrameworkCore;
using Mindora.Integrations.Data;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Ingestion.Migrations;

namespace Mindora.Integrations.Tests.Ingestion.Documents;

/// <summary>The hand-written migrations of <see cref="DocumentsDb"/> match its model on each provider.</summary>
public sealed class DocumentsDbModelTests
{
    [Theory]
    [InlineData("postgres", "Npgsql.EntityFrameworkCore.PostgreSQL")]
    [InlineData("sqlite", "Microsoft.EntityFrameworkCore.Sqlite")]
    public void Each_provider_has_its_own_migration_and_no_pending_model_changes(string provider, string providerName)
    {
        using var db = new DocumentsDb(MindoraDesignTime.CreateOptions<DocumentsDb>("docs", ["--provider", provider]));

        Assert.Equal(providerName, db.Database.ProviderName);
        Assert.Equal(DocumentsMigrations.All, db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public void Each_migration_serves_exactly_one_provider()
    {
        var migrations = typeof(DocumentsDb).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Microsoft.EntityFrameworkCore.Migrations.Migration)) && t.Namespace!.StartsWith(typeof(DocumentsDb).Namespace!, StringComparison.Ordinal))
            .Select(t => ProviderMigrationsAssembly.ProviderOf(t.Namespace))
            .Order()
            .ToList();

        Assert.Equal([.. Enumerable.Repeat(MindoraDataProvider.PostgreSql, DocumentsMigrations.All.Count), .. Enumerable.Repeat(MindoraDataProvider.Sqlite, DocumentsMigrations.All.Count)], migrations);
    }
}
