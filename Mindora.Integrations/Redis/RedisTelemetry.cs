using System.Diagnostics;
using System.Globalization;

namespace Mindora.Integrations.Redis;

/// <summary>
/// One client span per command on the ActivitySource <c>Mindora.Redis</c>, named after the
/// command (<c>GET</c>), with OpenTelemetry's database attributes. Arguments, keys and values are
/// never recorded: they are the app's data.
/// </summary>
internal sealed class RedisTelemetry : IDisposable
{
    public const string SourceName = "Mindora.Redis";

    private readonly ActivitySource _source = new(SourceName, typeof(RedisTelemetry).Assembly.GetName().Version?.ToString());
    private readonly string _host;
    private readonly int _port;

    public RedisTelemetry(RedisConnectionSettings settings)
    {
        _host = settings.Host;
        _port = settings.Port;
    }

    public Activity? Start(string command, int database)
    {
        var activity = _source.StartActivity(command, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system", "redis");
            activity.SetTag("db.system.name", "redis");
            activity.SetTag("db.operation.name", command);
            activity.SetTag("db.namespace", database.ToString(CultureInfo.InvariantCulture));
            activity.SetTag("server.address", _host);
            activity.SetTag("server.port", _port);
        }

        return activity;
    }

    public static void Failed(Activity? activity, Exception error)
    {
        if (activity is null)
        {
            return;
        }

        var type = error switch
        {
            RedisServerException server => server.Prefix,
            OperationCanceledException => "canceled",
            _ => error.GetType().FullName,
        };
        activity.SetTag("error.type", type);
        activity.SetStatus(ActivityStatusCode.Error, type);
    }

    public void Dispose() => _source.Dispose();
}
