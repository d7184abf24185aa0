using Microsoft.Extensions.DependencyInjection;
using Mindora.Integrations;
using Mindora.Integrations.Messaging;

namespace Microsoft.Extensions.Hosting;

public static partial class MindoraHostApplicationBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="IMindoraMessaging"/> from the connection string <paramref name="connectionName"/> —
    /// a RabbitMQ URI (<c>amqp://user:password@host:port</c>) or <c>Embedded=/dir</c> — with options from
    /// <c>Mindora:Messaging</c> and the health check <c>mindora-messaging</c>. The app name comes from
    /// <c>AddMindora(appName)</c> or <c>Mindora:App</c>. Calling it again only applies <paramref name="configure"/>.
    /// </summary>
    /// <exception cref="MindoraConfigurationException">No app name, or the connection string is missing or malformed.</exception>
    public static IHostApplicationBuilder AddMindoraMessaging(this IHostApplicationBuilder builder, string connectionName = "rabbitmq", Action<MindoraMessagingOptions>? configure = null)
    {
        if (MindoraRegistration.AddCapability<MindoraMessaging, MindoraMessagingOptions>(builder, "Messaging", connectionName, MindoraMessagingOptions.SectionName, configure, MessagingProviderFactory.EnsureSupported, MessagingProviderFactory.Create))
        {
            builder.Services.AddSingleton<IMindoraMessaging>(sp => sp.GetRequiredService<MindoraMessaging>());
        }

        return builder;
    }
}
