using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Runtimes.LocalServers;

/// <summary>
/// RabbitMQ isolation by credentials: each app is a user whose permissions on the default vhost
/// match only its own queues and exchanges (<c>{app}.*</c>, <c>{app}_*</c>), the shared ones
/// (inter_app_communication, system_events, ai_processing_tasks, user_notifications), the
/// broker's <c>amq.topic</c> for replies, and (configure only) server-named queues. Not the
/// default exchange: it routes to every queue by name, so writing to it would reach other apps'
/// private queues (apps send through their own direct exchange instead). On <c>amq.topic</c>,
/// topic permissions let an app publish only reply keys and bind only its own
/// (<c>{app}.reply.…</c>), so no app can listen to another's replies; being the broker's, it
/// cannot be deleted or redeclared by any app. The shared names are declared here, by the
/// administrator, as a durable queue and a durable topic exchange each; apps may use them but not
/// configure them, so no app can delete them (and their messages) or redeclare them with other
/// settings. Set through the management API as the administrator.
/// </summary>
internal sealed class RabbitMQProvisioner(HttpClient http) : IAppProvisioner
{
    public static readonly string[] SharedNames = ["inter_app_communication", "system_events", "ai_processing_tasks", "user_notifications"];

    public bool Handles(ServiceResource service) => service is RabbitMQServerResource;

    /// <summary>The exchange replies go through (Mindora.Integrations' MessagingNames.ReplyExchange).</summary>
    public const string ReplyExchange = "amq.topic";

    /// <summary>The routing keys any app may publish to the reply exchange: replies, <c>{app}.reply.{32 hex}</c>.</summary>
    public const string ReplyKeyPattern = "^[a-z0-9-]+\\.reply\\.[0-9a-f]{32}$";

    /// <summary>What an app may declare and delete: its own names and server-named queues (its health probe); not the shared ones.</summary>
    public static string ConfigurePattern(string app) => $"^({Regex.Escape(app)}[._].*|amq\\.gen-.*)$";

    /// <summary>What an app may publish to and read or bind from: its own names, the shared ones and the reply exchange.</summary>
    public static string WriteReadPattern(string app) => $"^({OwnAndShared(app)}|{Regex.Escape(ReplyExchange)})$";

    /// <summary>The binding keys an app may read from the reply exchange: its own reply queues'.</summary>
    public static string ReplyBindingPattern(string app) => $"^{Regex.Escape(app)}\\.reply\\..*$";

    private static string OwnAndShared(string app) => $"{Regex.Escape(app)}[._].*|{string.Join('|', SharedNames.Select(Regex.Escape))}";

    public async Task ProvisionAsync(ServiceResource service, IReadOnlyList<AppAccount> accounts, CancellationToken cancellationToken)
    {
        var rabbit = (RabbitMQServerResource)service;
        var management = new Uri(rabbit.GetEndpoint(RabbitMQServerResource.ManagementEndpointName).Allocated.Url);
        var admin = await rabbit.Password.GetValueAsync(ValueResolutionContext.Run, cancellationToken).ConfigureAwait(false);
        var authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{rabbit.UserName}:{admin}")));
        foreach (var name in SharedNames)
        {
            // The settings the SDK expects; a PUT of an existing queue or exchange with the same settings changes nothing.
            const string Expected = "it must be durable and not auto-delete (an exchange: of type topic); delete it as the administrator to let Mindora declare it";
            await PutAsync(new Uri(management, $"/api/queues/%2F/{name}"), new { durable = true, auto_delete = false }, authorization, cancellationToken, $"The shared queue '{name}' exists with other settings: {Expected}.").ConfigureAwait(false);
            await PutAsync(new Uri(management, $"/api/exchanges/%2F/{name}"), new { type = "topic", durable = true, auto_delete = false }, authorization, cancellationToken, $"The shared exchange '{name}' exists with other settings: {Expected}.").ConfigureAwait(false);
        }

        foreach (var account in accounts)
        {
            var user = Uri.EscapeDataString(account.User);
            await PutAsync(new Uri(management, $"/api/users/{user}"), new { password = account.Password, tags = string.Empty }, authorization, cancellationToken).ConfigureAwait(false);
            var writeRead = WriteReadPattern(account.App);
            await PutAsync(new Uri(management, $"/api/permissions/%2F/{user}"), new { configure = ConfigurePattern(account.App), write = writeRead, read = writeRead }, authorization, cancellationToken).ConfigureAwait(false);
            await PutAsync(new Uri(management, $"/api/topic-permissions/%2F/{user}"), new { exchange = ReplyExchange, write = ReplyKeyPattern, read = ReplyBindingPattern(account.App) }, authorization, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PutAsync(Uri url, object body, AuthenticationHeaderValue authorization, CancellationToken cancellationToken, string? onBadRequest = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.BadRequest && onBadRequest is not null)
        {
            throw new MindoraHostingException(onBadRequest);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new MindoraHostingException($"RabbitMQ's management API answered {(int)response.StatusCode} to PUT {url.AbsolutePath}.");
        }
    }
}
