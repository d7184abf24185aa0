using Microsoft.Extensions.DependencyInjection;
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
        if (MindoraRegistration.AddCapability<ITasksProvider, MindoraTasksOptions>(builder, "Tasks", connectionName, MindoraTasksOptions.SectionName, configure, TasksProviderFactory.EnsureSupported, TasksProviderFactory.Create))
        {
            builder.Services.AddSingleton<ITaskQueue>(sp => sp.GetRequiredService<ITasksProvider>());
            builder.Services.AddSingleton<ITaskBroker>(sp => sp.GetRequiredService<ITasksProvider>());
        }

        return builder;
    }
}
