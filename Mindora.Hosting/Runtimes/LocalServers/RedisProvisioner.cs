using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Runtimes.LocalServers;

/// <summary>
/// Redis isolation by credentials: each app is an ACL user limited to keys and channels
/// <c>{app}:*</c>, without administrative or dangerous commands (CONFIG, KEYS, FLUSHALL, …).
/// Saved to the ACL file, so the users outlive restarts.
/// </summary>
internal sealed class RedisProvisioner : IAppProvisioner
{
    public bool Handles(ServiceResource service) => service is RedisResource;

    public async Task ProvisionAsync(ServiceResource service, IReadOnlyList<AppAccount> accounts, CancellationToken cancellationToken)
    {
        var redis = (RedisResource)service;
        var endpoint = redis.GetEndpoint(RedisResource.PrimaryEndpointName).Allocated;
        var admin = await redis.Password.GetValueAsync(ValueResolutionContext.Run, cancellationToken).ConfigureAwait(false);
        await using var connection = await RespConnection.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken).ConfigureAwait(false);
        await connection.SendAsync(cancellationToken, "AUTH", "default", admin!).ConfigureAwait(false);
        foreach (var account in accounts)
        {
            await connection.SendAsync(
                cancellationToken,
                "ACL", "SETUSER", account.User, "reset", "on", $">{account.Password}",
                $"~{account.App}:*", $"&{account.App}:*", "+@all", "-@admin", "-@dangerous").ConfigureAwait(false);
        }

        await connection.SendAsync(cancellationToken, "ACL", "SAVE").ConfigureAwait(false);
    }
}
