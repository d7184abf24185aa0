using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mindora.Integrations;

/// <summary>What every <c>AddMindora*</c> method shares: the app name, connection strings, health checks.</summary>
internal static class MindoraRegistration
{
    /// <summary>The configuration key an app name can come from when <c>AddMindora(appName)</c> is not called.</summary>
    public const string AppNameKey = "Mindora:App";

    /// <summary>The tag of every Mindora health check: they gate readiness.</summary>
    public const string ReadyTag = "ready";

    /// <summary>The error for a server connection string whose provider does not exist yet.</summary>
    public static MindoraConfigurationException ServerProviderNotAvailable(string capability, string connectionName) =>
        // The connection string is never echoed: it may hold a password.
        new($"Connection string '{connectionName}' points at a {capability} server, but the server provider for {capability} is not available yet in this version of Mindora.Integrations. Only the embedded form 'Embedded=/absolute/dir' is supported for now.");

    /// <summary>Registers the app the process acts for; a second, different name is an error.</summary>
    public static void SetApp(IHostApplicationBuilder builder, string appName)
    {
        MindoraNames.ValidateAppName(appName);
        var existing = FindApp(builder.Services);
        if (existing is null)
        {
            builder.Services.AddSingleton(new MindoraAppContext(appName));
        }
        else if (existing.AppName != appName)
        {
            throw new MindoraConfigurationException($"AddMindora was called for app '{appName}' but this host already acts for app '{existing.AppName}'; one process serves one app.");
        }
    }

    /// <summary>The app registered by <c>AddMindora(appName)</c>, else <c>Mindora:App</c> from configuration.</summary>
    public static string ResolveApp(IHostApplicationBuilder builder)
    {
        if (FindApp(builder.Services) is { } context)
        {
            return context.AppName;
        }

        var configured = builder.Configuration[AppNameKey];
        if (string.IsNullOrEmpty(configured))
        {
            throw new MindoraConfigurationException($"No Mindora app name: call builder.AddMindora(appName) before adding a single capability, or set '{AppNameKey}' in configuration.");
        }

        SetApp(builder, configured);
        return configured;
    }

    /// <summary>True when configuration holds a non-empty connection string of that name.</summary>
    public static bool HasConnection(IHostApplicationBuilder builder, string connectionName) =>
        !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(connectionName));

    /// <summary>Reads and parses a connection string; a missing one is a configuration error.</summary>
    public static MindoraConnectionString GetConnection(IHostApplicationBuilder builder, string connectionName)
    {
        if (string.IsNullOrWhiteSpace(connectionName))
        {
            throw new MindoraConfigurationException("A connection name is required.");
        }

        return MindoraConnectionString.Parse(builder.Configuration.GetConnectionString(connectionName), connectionName);
    }

    /// <summary>
    /// The one way a capability is added: resolve the app, parse the connection string and fail
    /// early when no provider serves it, bind <typeparamref name="TOptions"/> from
    /// <paramref name="sectionName"/> (a later call only adds <paramref name="configure"/>), and
    /// register the provider once with its health check <c>mindora-{capability}</c>. Returns false
    /// when the provider was registered before, so callers register their interfaces once.
    /// </summary>
    public static bool AddCapability<TProvider, TOptions>(
        IHostApplicationBuilder builder,
        string capability,
        string connectionName,
        string sectionName,
        Action<TOptions>? configure,
        Action<MindoraConnectionString, string> ensureSupported,
        Func<ProviderContext<TOptions>, TProvider> create)
        where TProvider : class, IMindoraHealthProbe
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = ResolveApp(builder);
        var connection = GetConnection(builder, connectionName);
        ensureSupported(connection, connectionName);

        var options = builder.Services.AddOptions<TOptions>().BindConfiguration(sectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (IsRegistered<TProvider>(builder.Services))
        {
            return false;
        }

        builder.Services.AddSingleton(sp => create(new ProviderContext<TOptions>(
            connection,
            connectionName,
            app,
            sp.GetRequiredService<IOptions<TOptions>>().Value,
            sp.GetService<IMeterFactory>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System)));
        AddHealthCheck<TProvider>(builder.Services, $"mindora-{capability.ToLowerInvariant()}", capability);
        return true;
    }

    /// <summary>True when <typeparamref name="T"/> is already registered (the capability was added before).</summary>
    public static bool IsRegistered<T>(IServiceCollection services) =>
        services.Any(d => d.ServiceType == typeof(T) && !d.IsKeyedService);

    /// <summary>Adds the capability's health check, tagged <c>ready</c>, that probes the provider's store.</summary>
    public static void AddHealthCheck<TProvider>(IServiceCollection services, string name, string capability)
        where TProvider : class, IMindoraHealthProbe
    {
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            name,
            sp => new MindoraStoreHealthCheck(sp.GetRequiredService<TProvider>(), capability),
            failureStatus: null,
            tags: [ReadyTag]));
    }

    private static MindoraAppContext? FindApp(IServiceCollection services) =>
        services.LastOrDefault(d => d.ServiceType == typeof(MindoraAppContext) && !d.IsKeyedService)?.ImplementationInstance as MindoraAppContext;
}
