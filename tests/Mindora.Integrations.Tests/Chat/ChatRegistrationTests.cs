using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mindora.Integrations.Tests.Chat;

public sealed class ChatRegistrationTests
{
    [Fact]
    public void Without_an_endpoint_no_chat_client_is_registered()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.AddMindoraChat();

        using var host = builder.Build();

        Assert.Null(host.Services.GetService<IChatClient>());
    }

    [Fact]
    public void An_endpoint_registers_an_openai_compatible_client_naming_its_model()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Mindora:Chat:Endpoint"] = "http://localhost:11434/v1", ["Mindora:Chat:Model"] = "llama3.2", ["Mindora:Chat:ApiKey"] = "sk-secret-value" });
        builder.AddMindoraChat();

        using var host = builder.Build();
        var metadata = host.Services.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>();

        Assert.Equal("llama3.2", metadata?.DefaultModelId);
        Assert.Equal(new Uri("http://localhost:11434/v1"), metadata?.ProviderUri);
    }

    [Theory]
    [InlineData("ftp://example.com/v1", "gpt-4o-mini")]
    [InlineData("http://localhost:11434/v1", "")]
    public void An_unusable_endpoint_or_missing_model_is_a_configuration_error_without_the_key(string endpoint, string model)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.AddMindoraChat(o =>
        {
            o.Endpoint = new Uri(endpoint);
            o.Model = model;
            o.ApiKey = "sk-secret-value";
        });

        using var host = builder.Build();
        var e = Assert.Throws<MindoraConfigurationException>(() => host.Services.GetRequiredService<IChatClient>());

        Assert.Contains("Mindora:Chat", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-secret-value", e.Message, StringComparison.Ordinal);
    }
}
