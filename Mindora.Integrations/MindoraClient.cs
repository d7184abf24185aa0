using Mindora.Integrations.Cache;
using Mindora.Integrations.Files;
using Mindora.Integrations.Messaging;
using Mindora.Integrations.Search;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Vectors;

namespace Mindora.Integrations;

/// <summary>
/// Mindora's capabilities without a host, for scripts and console apps:
/// <c>await using var mindora = MindoraClient.Create("docs", connectionStrings);</c>. Connection
/// strings are looked up by the same names as in a host (<c>files</c>, <c>redis</c>,
/// <c>elasticsearch</c>, <c>qdrant</c>, <c>rabbitmq</c>, case-insensitive); a capability whose connection string was not given
/// throws <see cref="MindoraConfigurationException"/> when used.
/// </summary>
public sealed class MindoraClient : IAsyncDisposable
{
    private readonly IFilesProvider? _files;
    private readonly ITasksProvider? _tasks;
    private readonly ISearchProvider? _search;
    private readonly MindoraCache? _cache;
    private IVectorsProvider? _vectors;
    private MindoraMessaging? _messaging;

    private MindoraClient(string appName, IFilesProvider? files, ITasksProvider? tasks, ISearchProvider? search, MindoraCache? cache)
    {
        AppName = appName;
        _files = files;
        _tasks = tasks;
        _search = search;
        _cache = cache;
    }

    /// <summary>The app this client acts for.</summary>
    public string AppName { get; }

    /// <summary>Object storage, from the <c>files</c> connection string.</summary>
    public IMindoraFiles Files => _files ?? throw Missing("files", "Files");

    /// <summary>The task queue (enqueue and observe), from the <c>redis</c> connection string.</summary>
    public ITaskQueue Tasks => _tasks ?? throw Missing("redis", "Tasks");

    /// <summary>The task broker (claim and run, as a worker does), from the <c>redis</c> connection string.</summary>
    public ITaskBroker Broker => _tasks ?? throw Missing("redis", "Tasks");

    /// <summary>The app's cache (values, locks, channels), from the <c>redis</c> connection string.</summary>
    public IMindoraCache Cache => _cache ?? throw Missing("redis", "Cache");

    /// <summary>Full-text search, from the <c>elasticsearch</c> connection string.</summary>
    public IMindoraSearch Search => _search ?? throw Missing("elasticsearch", "Search");

    /// <summary>Vector search, from the <c>qdrant</c> connection string.</summary>
    public IMindoraVectors Vectors => _vectors ?? throw Missing("qdrant", "Vectors");
    /// <summary>Messaging, from the <c>rabbitmq</c> connection string (a RabbitMQ URI or <c>Embedded=/dir</c>).</summary>
    public IMindoraMessaging Messaging => _messaging ?? throw Missing("rabbitmq", "Messaging");

    /// <summary>Creates a client for <paramref name="appName"/> from connection strings keyed by name.</summary>
    /// <exception cref="MindoraInvalidNameException">The app name is not allowed.</exception>
    /// <exception cref="MindoraConfigurationException">A given connection string is malformed or has no provider yet.</exception>
    public static MindoraClient Create(string appName, IReadOnlyDictionary<string, string> connectionStrings)
    {
        MindoraNames.ValidateAppName(appName);
        ArgumentNullException.ThrowIfNull(connectionStrings);

        var files = Find(connectionStrings, "files");
        var tasks = Find(connectionStrings, "redis");
        var search = Find(connectionStrings, "elasticsearch");
        var vectors = Find(connectionStrings, "qdrant");
        var messaging = Find(connectionStrings, "rabbitmq");

        // Check every connection before creating anything, so a bad one leaves nothing to dispose.
        if (files.Connection is not null)
        {
            FilesProviderFactory.EnsureSupported(files.Connection, files.Name);
        }

        if (tasks.Connection is not null)
        {
            TasksProviderFactory.EnsureSupported(tasks.Connection, tasks.Name);
            CacheProviderFactory.EnsureSupported(tasks.Connection, tasks.Name);
        }

        if (search.Connection is not null)
        {
            SearchProviderFactory.EnsureSupported(search.Connection, search.Name);
        }

        if (vectors.Connection is not null)
        {
            VectorsProviderFactory.EnsureSupported(vectors.Connection, vectors.Name);
        }

        if (messaging.Connection is not null)
        {
            MessagingProviderFactory.EnsureSupported(messaging.Connection, messaging.Name);
        }

        var time = TimeProvider.System;
        var client = new MindoraClient(
            appName,
            files.Connection is null ? null : FilesProviderFactory.Create(new ProviderContext<MindoraFilesOptions>(files.Connection, files.Name, appName, new MindoraFilesOptions(), null, time)),
            tasks.Connection is null ? null : TasksProviderFactory.Create(new ProviderContext<MindoraTasksOptions>(tasks.Connection, tasks.Name, appName, new MindoraTasksOptions(), null, time)),
            search.Connection is null ? null : SearchProviderFactory.Create(new ProviderContext<MindoraSearchOptions>(search.Connection, search.Name, appName, new MindoraSearchOptions(), null, time)),
            tasks.Connection is null ? null : CacheProviderFactory.Create(new ProviderContext<MindoraCacheOptions>(tasks.Connection, tasks.Name, appName, new MindoraCacheOptions(), null, time)));
        client._vectors = vectors.Connection is null ? null : VectorsProviderFactory.Create(new ProviderContext<MindoraVectorsOptions>(vectors.Connection, vectors.Name, appName, new MindoraVectorsOptions(), null, time));
        client._messaging = messaging.Connection is null ? null : MessagingProviderFactory.Create(new ProviderContext<MindoraMessagingOptions>(messaging.Connection, messaging.Name, appName, new MindoraMessagingOptions(), null, time));
        return client;
    }

    /// <summary>Releases the stores.</summary>
    public async ValueTask DisposeAsync()
    {
        _files?.Dispose();
        _tasks?.Dispose();
        _search?.Dispose();
        _vectors?.Dispose();
        if (_cache is not null)
        {
            await _cache.DisposeAsync().ConfigureAwait(false);
        }

        if (_messaging is not null)
        {
            await _messaging.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static (string Name, MindoraConnectionString? Connection) Find(IReadOnlyDictionary<string, string> connectionStrings, string name)
    {
        foreach (var (key, value) in connectionStrings)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(value))
            {
                return (key, MindoraConnectionString.Parse(value, key));
            }
        }

        return (name, null);
    }

    private static MindoraConfigurationException Missing(string connectionName, string capability) =>
        new($"{capability} is not available: no '{connectionName}' connection string was given to MindoraClient.Create.");
}
