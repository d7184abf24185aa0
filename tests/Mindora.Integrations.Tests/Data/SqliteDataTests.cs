using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mindora.Integrations.Data;
using Mindora.Integrations.Tests.Support;
using Mindora.Testing;

namespace Mindora.Integrations.Tests.Data;

/// <summary>The data suite on the embedded provider: one SQLite file per app under a temp directory.</summary>
public sealed class SqliteDataTests(TempDirectory temp) : DataSuite, IClassFixture<TempDirectory>
{
    protected override string SlugConstraint => "UNIQUE constraint failed: notes.Slug";

    protected override string OwnerConstraint => "FOREIGN KEY constraint failed";

    protected override string DbSystem => "sqlite";

    protected override Task<DataTarget> NewTargetAsync() =>
        Task.FromResult(new DataTarget(SharedServers.NewAppName(), $"Embedded={temp.NewStoreDirectory()};Database=tests"));

    protected override async Task<DataTarget> UnusableTargetAsync()
    {
        // A regular file where the data directory should be: nothing can be created there.
        var blocked = Path.Combine(temp.Root, "not-a-directory-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(blocked, "x");
        return new DataTarget(SharedServers.NewAppName(), $"Embedded={blocked};Database=tests");
    }

    protected override Task InterruptConnectionAsync(NotesContext db)
    {
        // Closing the file's connection is what a crashed process leaves: SQLite rolls back the open transaction.
        db.Database.GetDbConnection().Close();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Each_app_has_its_own_database_file_in_the_directory()
    {
        var directory = temp.NewStoreDirectory();
        await using var one = await DataHost.StartAsync(new DataTarget("app-one", $"Embedded={directory};Database=tests"));
        await using var two = await DataHost.StartAsync(new DataTarget("app-two", $"Embedded={directory};Database=tests"));

        await one.WithDbAsync(db => db.CreateAsync(new Note { Title = "one's", Slug = "s" }));

        Assert.Equal(["one's"], await TitlesAsync(one));
        Assert.Empty(await TitlesAsync(two));
        Assert.True(File.Exists(Path.Combine(directory, "tests-app-one.sqlite")));
        Assert.True(File.Exists(Path.Combine(directory, "tests-app-two.sqlite")));
    }

    [Fact]
    public async Task The_signed_in_user_of_the_http_request_is_recorded_as_who_made_the_change()
    {
        await using var host = await DataHost.StartAsync(await NewTargetAsync());
        var http = host.Services.GetRequiredService<IHttpContextAccessor>();
        http.HttpContext = new DefaultHttpContext { User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "bob@example.com")], "test")) };

        await host.WithDbAsync(db => db.CreateAsync(new Note { Title = "by bob", Slug = "bob" }));
        http.HttpContext = null;

        Assert.Equal("bob@example.com", Assert.Single(await AuditAsync(host)).UserName);
    }

    [Fact]
    public async Task Every_connection_waits_in_sqlite_for_a_busy_writer_up_to_the_command_timeout()
    {
        // Without SQLite's own busy timeout a writer meeting another's lock falls back to
        // Microsoft.Data.Sqlite's loop of 150 ms sleeps, which stalled concurrent workers.
        await using var host = await DataHost.StartAsync(await NewTargetAsync());

        var timeouts = await host.WithDbAsync(async db =>
        {
            var first = await BusyTimeoutAsync(db);
            await db.Database.CloseConnectionAsync();
            return (first, await BusyTimeoutAsync(db));
        });

        Assert.Equal((30_000L, 30_000L), timeouts);
    }

    private static async Task<long> BusyTimeoutAsync(NotesContext db)
    {
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA busy_timeout";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
