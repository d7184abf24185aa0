using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Data;
using Mindora.Integrations.Tests.Hosting;
using Npgsql;

namespace Mindora.Integrations.Tests.Data;

/// <summary>How connection strings, options and design-time set-up become a context's configuration (no database needed).</summary>
public sealed class DataConfigurationTests
{
    private const string Server = "Host=127.0.0.1;Port=5432;Username=app_docs_api;Password=s3cr3t-pw;Database=db";

    [Fact]
    public void A_server_connection_string_pins_the_app_schema_as_search_path_and_sizes_the_pool_from_options()
    {
        var connection = DataConnection.Parse(MindoraConnectionString.Parse(Server, "db"), "db", "docs-api");

        var pooled = new NpgsqlConnectionStringBuilder(connection.ConnectionString(new MindoraDataOptions { MaxPoolSize = 20, CommandTimeout = TimeSpan.FromSeconds(7) }));
        var defaults = new NpgsqlConnectionStringBuilder(connection.ConnectionString(new MindoraDataOptions()));

        Assert.Equal((MindoraDataProvider.PostgreSql, "app_docs_api"), (connection.Provider, connection.Schema));
        Assert.Equal(("app_docs_api", 20, 7, "mindora-docs-api"), (pooled.SearchPath, pooled.MaxPoolSize, pooled.CommandTimeout, pooled.ApplicationName));
        Assert.Equal(50, defaults.MaxPoolSize);
    }

    [Fact]
    public void The_embedded_form_maps_to_one_sqlite_file_per_app_and_database()
    {
        var directory = Path.Combine(Path.GetTempPath(), "mindora-data-config");

        var connection = DataConnection.Parse(MindoraConnectionString.Parse($"Embedded={directory};Database=main", "db"), "db", "docs");

        Assert.Equal((MindoraDataProvider.Sqlite, Path.Combine(directory, "main-docs.sqlite")), (connection.Provider, connection.File));
        Assert.Null(connection.Schema);
    }

    [Theory]
    [InlineData("Host=;Database=db;Password=s3cr3t-pw")]
    [InlineData("Host=h;Password=s3cr3t-pw")]
    [InlineData("Host=h;Database=db;Password=s3cr3t-pw;Bogus Keyword=1")]
    [InlineData("Embedded=/tmp/x;Database=../escape")]
    [InlineData("Embedded=relative/dir;Database=db")]
    public void Unusable_connection_strings_fail_at_registration_without_echoing_secrets(string connectionString)
    {
        var builder = HostBuilders.Create(("ConnectionStrings:db", connectionString));
        builder.AddMindora("docs");

        var error = Assert.Throws<MindoraConfigurationException>(() => builder.AddMindoraDbContext<NotesContext>("db"));

        Assert.Contains("'db'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_out_of_range_are_a_configuration_error_when_the_context_is_first_resolved()
    {
        var builder = HostBuilders.Create(("ConnectionStrings:db", Server), ("Mindora:Data:MaxPoolSize", "0"));
        builder.AddMindora("docs");
        builder.AddMindoraDbContext<NotesContext>("db");
        using var host = builder.Build();
        using var scope = host.Services.CreateScope();

        Assert.Throws<MindoraConfigurationException>(() => scope.ServiceProvider.GetRequiredService<NotesContext>());
    }

    [Fact]
    public async Task A_second_context_type_gets_its_own_health_check()
    {
        var builder = HostBuilders.Create(("ConnectionStrings:db", Server), ("ConnectionStrings:other", $"Embedded={Path.GetTempPath()};Database=other"));
        builder.AddMindora("docs");
        builder.AddMindoraDbContext<NotesContext>("db");
        builder.AddMindoraDbContext<OtherContext>("other");
        builder.AddMindoraDbContext<NotesContext>("db");
        using var host = builder.Build();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name != "mindora-data");

        Assert.Equal("mindora-data-othercontext", Assert.Single(report.Entries).Key);
    }

    [Theory]
    [InlineData("postgres", "Npgsql.EntityFrameworkCore.PostgreSQL", "app_docs")]
    [InlineData("sqlite", "Microsoft.EntityFrameworkCore.Sqlite", null)]
    public void Design_time_options_set_up_the_provider_as_the_app_does(string provider, string providerName, string? historySchema)
    {
        var options = MindoraDesignTime.CreateOptions<NotesContext>("docs", ["--provider", provider]);
        using var db = new NotesContext(options);

        Assert.Equal(providerName, db.Database.ProviderName);
        var relational = RelationalOptionsExtension.Extract(options);
        Assert.Equal(("__EFMigrationsHistory", historySchema), (relational.MigrationsHistoryTableName ?? "__EFMigrationsHistory", relational.MigrationsHistoryTableSchema));
        Assert.Equal(["20261122090000_Initial"], db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Theory]
    [InlineData("App.Migrations.Postgres", "PostgreSql")]
    [InlineData("App.Data.PostgreSql.Migrations", "PostgreSql")]
    [InlineData("App.Migrations.Sqlite", "Sqlite")]
    [InlineData("App.Migrations", null)]
    [InlineData("MySqliteApp.Migrations", null)]
    public void Migrations_belong_to_the_provider_their_namespace_names(string ns, string? expected) =>
        Assert.Equal(expected, ProviderMigrationsAssembly.ProviderOf(ns)?.ToString());

    [Fact]
    public void Statement_text_keeps_identifiers_and_placeholders_but_masks_literals()
    {
        const string sql = "SELECT n.\"Id\", 'it''s' FROM \"notes\" AS n WHERE n.\"Slug\" = 'x' AND n.\"Priority\" > 42 AND n.\"Id\" = @p0 AND t2.c = $1 LIMIT 10";

        Assert.Equal("SELECT n.\"Id\", ? FROM \"notes\" AS n WHERE n.\"Slug\" = ? AND n.\"Priority\" > ? AND n.\"Id\" = @p0 AND t2.c = $1 LIMIT ?", SqlSanitizer.Sanitize(sql));
    }

    private sealed class OtherContext(DbContextOptions<OtherContext> options) : DbContext(options);
}
