using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mindora.Integrations;
using Mindora.Integrations.Chat;

namespace Microsoft.Extensions.Hosting;

public static partial class MindoraHostApplicationBuilderExtensions
{
    /// <summary>
    /// Adds an <see cref="IChatClient"/> (Microsoft.Extensions.AI) for an OpenAI-compatible chat
    /// model when <c>Mindora:Chat:Endpoint</c> is configured; without one nothing is registered and
    /// apps answer without a model. A chat client registered before is kept.
    /// </summary>
    /// <exception cref="MindoraConfigurationException">The endpoint is set but the options are unusable (reported when the client is first resolved).</exception>
    public static IHostApplicationBuilder AddMindoraChat(this IHostApplicationBuilder builder, Action<MindoraChatOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<MindoraChatOptions>().BindConfiguration(MindoraChatOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        var configured = new MindoraChatOptions();
        builder.Configuration.GetSection(MindoraChatOptions.SectionName).Bind(configured);
        configure?.Invoke(configured);
        if (configured.Endpoint is not null && !MindoraRegistration.IsRegistered<IChatClient>(builder.Services))
        {
            builder.Services.AddSingleton<IChatClient>(sp => new OpenAIChatClient(sp.GetRequiredService<IOptions<MindoraChatOptions>>().Value));
        }

        return builder;
    }
}
