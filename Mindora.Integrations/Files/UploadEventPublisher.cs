using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mindora.Integrations.Messaging;

namespace Mindora.Integrations.Files;

/// <summary>What <c>files.object-uploaded</c> carries: the object's description, never a signed URL.</summary>
/// <param name="App">The app that stored it.</param>
/// <param name="Bucket">The bucket, as the app names it.</param>
/// <param name="Key">The object key.</param>
/// <param name="VersionId">Its version (null where the store keeps none).</param>
/// <param name="Size">Bytes.</param>
/// <param name="ContentType">The media type.</param>
/// <param name="Sha256">The content's SHA-256, lowercase hex.</param>
/// <param name="CreatedAt">When this version was stored.</param>
/// <param name="Cause">What created the version: <c>upload</c>, <c>signed-put</c>, <c>copy</c>, <c>restore</c> or <c>confirmed</c> (<see cref="ObjectUploadCauses"/>).</param>
public sealed record ObjectUploadedEvent(string App, string Bucket, string Key, string? VersionId, long Size, string ContentType, string Sha256, DateTimeOffset CreatedAt, string Cause);

/// <summary>
/// When <see cref="MindoraFilesOptions.PublishUploads"/> is on and messaging is registered, publishes
/// <c>files.object-uploaded</c> after every committed new version (upload, signed PUT, copy, restore, confirmation). The upload has already succeeded
/// when this runs: a publish that fails is logged and the object stays stored.
/// </summary>
internal sealed partial class UploadEventPublisher(IServiceProvider services, IOptions<MindoraFilesOptions> options, ILogger<UploadEventPublisher> logger) : IHostedService
{
    /// <summary>The routing key of the event.</summary>
    public const string RoutingKey = "files.object-uploaded";

    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.PublishUploads)
        {
            return Task.CompletedTask; // and the providers stay unopened until first used, as without this service
        }

        var messaging = (IMindoraMessaging?)services.GetService(typeof(IMindoraMessaging));
        var files = (IFilesProvider)services.GetService(typeof(IFilesProvider))!;
        if (messaging is null)
        {
            NoMessaging(logger);
            return Task.CompletedTask;
        }

        var exchange = MessagingNames.ValidateQueue(messaging.App, options.Value.UploadEventsExchange, $"{MindoraFilesOptions.SectionName}:UploadEventsExchange");
        _subscription = files.OnVersionCommitted((info, cause, ct) => PublishAsync(messaging, exchange, info, cause, ct));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    private async Task PublishAsync(IMindoraMessaging bus, string exchange, ObjectInfo info, string cause, CancellationToken cancellationToken)
    {
        try
        {
            await bus.PublishAsync(
                exchange,
                RoutingKey,
                new ObjectUploadedEvent(bus.App, info.Bucket, info.Key, info.VersionId, info.Size, info.ContentType, info.Sha256, info.CreatedAt, cause),
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (MindoraException e)
        {
            NotPublished(logger, info.Bucket, info.Key, e.Message);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Upload of '{Key}' in bucket '{Bucket}' is stored, but its files.object-uploaded event was not published: {Reason}")]
    private static partial void NotPublished(ILogger logger, string bucket, string key, string reason);

    [LoggerMessage(2, LogLevel.Warning, "Mindora:Files:PublishUploads is on but no messaging is registered (AddMindoraMessaging); upload events are not published.")]
    private static partial void NoMessaging(ILogger logger);
}
