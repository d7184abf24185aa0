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
    private MindoraClient(string appName) => AppName = appName;

    /// <summary>The app this client acts for.</summary>
    public string AppName { get; }

    /// <summary>Object storage, from the <c>files</c> connection string.</summary>
    public IMindoraFiles Files => FilesProvider ?? throw Missing("files", "Files");

    /// <summary>The task queue (enqueue and observe), from the <c>redis</c> connection string.</summary>
    public ITaskQueue Tasks => TasksProvider ?? throw Missing("redis", "Tasks");

    /// <summary>The task broker (claim and run, as a worker does), from the <c>redis</c> connection string.</summary>
    public ITaskBroker Broker => TasksProvider ?? throw Missing("redis", "Tasks");

    /// <summary>The app's cache (values, locks, channels), from the <c>redis</c> connection string.</summary>
    public IMindoraCache Cache => CacheStore ?? throw Missing("redis", "Cache");

    /// <summary>Full-text search, from the <c>elasticsearch</c> connection string.</summary>
    public IMindoraSearch Search => SearchProvider ?? throw Missing("elasticsearch", "Search");

    /// <summary>Vector search, from the <c>qdrant</c> connection string.</summary>
    public IMindoraVectors Vectors => VectorsProvider ?? throw Missing("qdrant", "Vectors");

    /// <summary>Messaging, from the <c>rabbitmq</c> connection string (a RabbitMQ URI or <c>Embedded=/dir</c>).</summary>
    public IMindoraMessaging Messaging => MessagingStore ?? throw Missing("rabbitmq", "Messaging");

    private IFilesProvider? FilesProvider { get; init; }

    private ITasksProvider? TasksProvider { get; init; }

    private MindoraCache? CacheStore { get; init; }

    private ISearchProvider? SearchProvider { get; init; }

    private IVectorsProvider? VectorsProvider { get; init; }

    private MindoraMessaging? MessagingStore { get; init; }

    /// <summary>Creates a client for <paramref name="appName"/> from connection strings keyed by name.</summary>
    /// <exception cref="MindoraInvalidNameException">The app name is not allowed.</exception>
    /// <exception cref="MindoraConfigurationException">A given connection string is malformed or has no provider yet.</exception>
    public static MindoraClient Create(string appName, IReadOnlyDictionary<string, string> connectionStrings)
    {
        MindoraNames.ValidateAppName(appName);
        ArgumentNullException.ThrowIfNull(connectionStrings);

        var files = Find(connectionStrings, "files");
        var redis = Find(connectionStrings, "redis");
        var search = Find(connectionStrings, "elasticsearch");
        var vectors = Find(connectionStrings, "qdrant");
        var messaging = Find(connectionStrings, "rabbitmq");

        // Check every connection before creating anything, so a bad one leaves nothing to dispose.
        Check(files, FilesProviderFactory.EnsureSupported);
        Check(redis, TasksProviderFactory.EnsureSupported);
        Check(redis, CacheProviderFactory.EnsureSupported);
        Check(search, SearchProviderFactory.EnsureSupported);
        Check(vectors, VectorsProviderFactory.EnsureSupported);
        Check(messaging, MessagingProviderFactory.EnsureSupported);

        return new MindoraClient(appName)
        {
            FilesProvider = Open<MindoraFilesOptions, IFilesProvider>(files, appName, FilesProviderFactory.Create),
            TasksProvider = Open<MindoraTasksOptions, ITasksProvider>(redis, appName, TasksProviderFactory.Create),
            CacheStore = Open<MindoraCacheOptions, MindoraCache>(redis, appName, CacheProviderFactory.Create),
            SearchProvider = Open<MindoraSearchOptions, ISearchProvider>(search, appName, SearchProviderFactory.Create),
            VectorsProvider = Open<MindoraVectorsOptions, IVectorsProvider>(vectors, appName, VectorsProviderFactory.Create),
            MessagingStore = Open<MindoraMessagingOptions, MindoraMessaging>(messaging, appName, MessagingProviderFactory.Create),
        };
    }

    /// <summary>Releases the stores.</summary>
    public async ValueTask DisposeAsync()
    {
        FilesProvider?.Dispose();
        TasksProvider?.Dispose();
        SearchProvider?.Dispose();
        VectorsProvider?.Dispose();
        if (CacheStore is not null)
        {
            await CacheStore.DisposeAsync().ConfigureAwait(false);
        }

        if (MessagingStore is not null)
        {
            await MessagingStore.DisposeAsync().ConfigureAwait(false);
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

    private static void Check((string Name, MindoraConnectionString? Connection) found, Action<MindoraConnectionString, string> ensureSupported)
    {
        if (found.Connection is not null)
        {
            ensureSupported(found.Connection, found.Name);
        }
    }

    // A capability's store from its connection string, with default options, as a host would make it.
    private static T? Open<TOptions, T>((string Name, MindoraConnectionString? Connection) found, string appName, Func<ProviderContext<TOptions>, T> create)
        where TOptions : new()
        where T : class =>
        found.Connection is null ? null : create(new ProviderContext<TOptions>(found.Connection, found.Name, appName, new TOptions(), null, TimeProvider.System));

    private static MindoraConfigurationException Missing(string connectionName, string capability) =>
        new($"{capability} is not available: no '{connectionName}' connection string was given to MindoraClient.Create.");
}
