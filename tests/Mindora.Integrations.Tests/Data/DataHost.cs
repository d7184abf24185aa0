using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Data;
using Mindora.Integrations.Tests.Hosting;

namespace Mindora.Integrations.Tests.Data;

/// <summary>Where one test's data lives: a fresh app and the connection string the AppHost would give it.</summary>
public sealed record DataTarget(string App, string ConnectionString);

/// <summary>A host with <see cref="NotesContext"/> added through <c>AddMindoraDbContext</c>, as an app has it.</summary>
internal sealed class DataHost : IAsyncDisposable
{
    private DataHost(IHost host, DataTarget target)
    {
        Host = host;
        Target = target;
    }

    public IHost Host { get; }

    public DataTarget Target { get; }

    public IServiceProvider Services => Host.Services;

    /// <summary>Builds the host (MigrateOnStart on unless <paramref name="configure"/> turns it off) and applies the migrations.</summary>
    public static async Task<DataHost> StartAsync(DataTarget target, Action<MindoraDataOptions>? configure = null, TimeProvider? time = null, IMindoraCurrentUser? user = null, bool migrate = true)
    {
        var builder = HostBuilders.Create(("ConnectionStrings:db", target.ConnectionString), ("Mindora:Data:MigrateOnStart", "true"));
        builder.AddMindora(target.App);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        if (user is not null)
        {
            builder.Services.AddSingleton(user);
        }

        builder.AddMindoraDbContext<NotesContext>("db", configure);
        var host = new DataHost(builder.Build(), target);
        if (migrate)
        {
            await host.Host.MigrateMindoraDbAsync<NotesContext>();
        }

        return host;
    }

    /// <summary>Runs <paramref name="body"/> with a context of its own scope (a fresh unit of work).</summary>
    public async Task<T> WithDbAsync<T>(Func<NotesContext, Task<T>> body)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await body(scope.ServiceProvider.GetRequiredService<NotesContext>());
    }

    /// <inheritdoc cref="WithDbAsync{T}(Func{NotesContext, Task{T}})"/>
    public Task WithDbAsync(Func<NotesContext, Task> body) =>
        WithDbAsync(async db =>
        {
            await body(db);
            return true;
        });

    public async ValueTask DisposeAsync()
    {
        if (Host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            Host.Dispose();
        }
    }
}

/// <summary>A fixed user for the audit log.</summary>
internal sealed class FixedUser(string name) : IMindoraCurrentUser
{
    public string UserName => name;
}
