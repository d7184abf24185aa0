using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mindora.Integrations;
using Mindora.Integrations.Tasks;

namespace Microsoft.Extensions.Hosting;

public static partial class MindoraHostApplicationBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="ITaskQueue"/> and <see cref="ITaskBroker"/> (one shared instance) from the
    /// connection string <paramref name="connectionName"/>, options from <c>Mindora:Tasks</c> and the
    /// health check <c>mindora-tasks</c>. The app name comes from <c>AddMindora(appName)</c> or
    /// <c>Mindora:App</c>. Calling it again only applies <paramref name="configure"/>.
    /// </summary>
    /// <exception cref="MindoraConfigurationException">No app name, or the connection string is missing, malformed or has no provider yet.</exception>
    public static IHostApplicationBuilder AddMindoraTasks(this IHostApplicationBuilder builder, string connectionName = "redis", Action<MindoraTasksOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = MindoraRegistration.ResolveApp(builder);
        var connection = MindoraRegistration.GetConnection(builder, connectionName);
        TasksProviderFactory.EnsureSupported(connection, connectionName);

        var options = builder.Services.AddOptions<MindoraTasksOptions>().BindConfiguration(MindoraTasksOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (MindoraRegistration.IsRegistered<ITasksProvider>(builder.Services))
        {
            return builder;
        }

        builder.Services.AddSingleton<ITasksProvider>(sp => TasksProviderFactory.Create(
            connection,
            connectionName,
            app,
            sp.GetRequiredService<IOptions<MindoraTasksOptions>>().Value,
            sp.GetService<IMeterFactory>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.Services.AddSingleton<ITaskQueue>(sp => sp.GetRequiredService<ITasksProvider>());
        builder.Services.AddSingleton<ITaskBroker>(sp => sp.GetRequiredService<ITasksProvider>());
        MindoraRegistration.AddHealthCheck<ITasksProvider>(builder.Services, "mindora-tasks", "Tasks");
        return builder;
    }
}
