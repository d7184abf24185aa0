using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mindora.Integrations;
using Mindora.Integrations.Data;

namespace Microsoft.Extensions.Hosting;

public static partial class MindoraHostApplicationBuilderExtensions
{
    /// <summary>
    /// Adds <typeparamref name="TContext"/> (pooled, scoped) on the database the connection string
    /// <paramref name="connectionName"/> names: PostgreSQL for the server form, with the app's
    /// schema <c>app_{name}</c> as the search path and the migrations history, or an embedded
    /// SQLite file per app for <c>Embedded=/abs/dir;Database=db</c>. Options come from
    /// <c>Mindora:Data</c>; adds the health check <c>mindora-data</c> (tagged <c>ready</c>),
    /// command spans on <c>Mindora.Data</c>, retries of transient faults, automatic timestamps and
    /// the audit log. The app name comes from <c>AddMindora(appName)</c> or <c>Mindora:App</c>.
    /// Calling it again for the same context only applies <paramref name="configure"/>.
    /// </summary>
    /// <typeparam name="TContext">The context; it needs a constructor taking <c>DbContextOptions&lt;TContext&gt;</c> (contexts are pooled).</typeparam>
    /// <param name="builder">The host builder.</param>
    /// <param name="connectionName">The connection string's name. Default <c>db</c>.</param>
    /// <param name="configure">Changes options after configuration is bound.</param>
    /// <param name="configureDbContext">Further EF Core options (logging, warnings), applied after Mindora's.</param>
    /// <exception cref="MindoraInvalidNameException">The app name is not allowed.</exception>
    /// <exception cref="MindoraConfigurationException">No app name, or the connection string is missing or unusable.</exception>
    public static IHostApplicationBuilder AddMindoraDbContext<TContext>(
        this IHostApplicationBuilder builder,
        string connectionName = "db",
        Action<MindoraDataOptions>? configure = null,
        Action<DbContextOptionsBuilder>? configureDbContext = null)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = MindoraRegistration.ResolveApp(builder);
        var connection = DataConnection.Parse(MindoraRegistration.GetConnection(builder, connectionName), connectionName, app);

        var optionsName = typeof(TContext).FullName ?? typeof(TContext).Name;
        var options = builder.Services.AddOptions<MindoraDataOptions>(optionsName).BindConfiguration(MindoraDataOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        var services = builder.Services;
        if (MindoraRegistration.IsRegistered<MindoraDataStore<TContext>>(services))
        {
            return builder;
        }

        var first = !services.Any(d => d.ServiceType == typeof(DataTelemetry));
        services.TryAddSingleton(sp => new DataTelemetry(app, sp.GetService<IMeterFactory>()));
        services.AddHttpContextAccessor();
        services.TryAddSingleton<IMindoraCurrentUser, HttpContextCurrentUser>();
        services.TryAddSingleton(sp => new MindoraSaveChangesInterceptor(sp.GetRequiredService<IMindoraCurrentUser>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton(sp => new MindoraDataStore<TContext>(
            connection,
            sp.GetRequiredService<IOptionsMonitor<MindoraDataOptions>>().Get(optionsName),
            sp.GetRequiredService<DataTelemetry>()));
        services.AddDbContextPool<TContext>((sp, dbOptions) =>
        {
            sp.GetRequiredService<MindoraDataStore<TContext>>().Configure(dbOptions, sp.GetRequiredService<MindoraSaveChangesInterceptor>());
            configureDbContext?.Invoke(dbOptions);
        });

        // The first context is "mindora-data"; more contexts in one app are told apart by name.
        var healthName = first ? "mindora-data" : "mindora-data-" + typeof(TContext).Name.ToLowerInvariant();
        MindoraRegistration.AddHealthCheck<MindoraDataStore<TContext>>(services, healthName, "Data");
        return builder;
    }
}
