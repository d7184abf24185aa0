using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Runtimes.LocalServers;

/// <summary>One app's account on a server.</summary>
/// <param name="App">The app.</param>
/// <param name="User">Its user (or role) name on the server.</param>
/// <param name="Password">Its password.</param>
internal sealed record AppAccount(string App, string User, string Password);

/// <summary>Creates or updates, idempotently, each app's user on one kind of server.</summary>
internal interface IAppProvisioner
{
    bool Handles(ServiceResource service);

    Task ProvisionAsync(ServiceResource service, IReadOnlyList<AppAccount> accounts, CancellationToken cancellationToken);
}

/// <summary>
/// A started server that counts as healthy only once its apps' accounts exist: provisioning runs
/// after the server first answers its probe, and again after each restart (it is idempotent).
/// </summary>
internal sealed class ProvisionedService(IRunningService inner, Func<CancellationToken, Task> provision) : IRunningService
{
    private bool _provisioned;

    public int? ProcessId => inner.ProcessId;

    public Task<int> Exited => inner.Exited;

    public async Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var result = await inner.ProbeAsync(cancellationToken).ConfigureAwait(false);
        if (!result.IsHealthy || _provisioned)
        {
            return result;
        }

        try
        {
            await provision(cancellationToken).ConfigureAwait(false);
            _provisioned = true;
            return ProbeResult.Healthy($"{result.Description}; app accounts provisioned");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ProbeResult.Unhealthy($"provisioning the apps' accounts failed: {e.Message}");
        }
    }

    public Task StopAsync(TimeSpan timeout, CancellationToken cancellationToken) => inner.StopAsync(timeout, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

}

/// <summary>Who has which account, from the model.</summary>
internal static class AppAccounts
{
    /// <summary>The accounts of every app that uses <paramref name="service"/>, with their passwords.</summary>
    public static async Task<IReadOnlyList<AppAccount>> OfServiceAsync(ServiceResource service, CancellationToken cancellationToken)
    {
        var accounts = new List<AppAccount>();
        foreach (var (app, password) in service.AppPasswords)
        {
            var value = await password.GetValueAsync(ValueResolutionContext.Run, cancellationToken).ConfigureAwait(false);
            accounts.Add(new AppAccount(app, service.AppUserName(app), value!));
        }

        return accounts;
    }

    /// <summary>The accounts of the apps that reference <paramref name="database"/>.</summary>
    public static async Task<IReadOnlyList<AppAccount>> OfDatabaseAsync(PostgresDatabaseResource database, IReadOnlyList<IResource> resources, CancellationToken cancellationToken)
    {
        var apps = resources
            .Where(r => r.AnnotationsOf<ReferenceAnnotation>().Any(a => ReferenceEquals(a.Target, database)))
            .Select(r => r.LastAnnotationOf<MindoraAppAnnotation>()?.AppName)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        return (await OfServiceAsync(database.Server, cancellationToken).ConfigureAwait(false)).Where(a => apps.Contains(a.App)).ToList();
    }
}
