namespace Mindora.Hosting.ApplicationModel;

/// <summary>A PostgreSQL server.</summary>
public sealed class PostgresServerResource : ServiceResource
{
    /// <summary>The name of the primary endpoint.</summary>
    public const string PrimaryEndpointName = "tcp";

    /// <summary>Creates the server with its superuser password.</summary>
    public PostgresServerResource(string name, ParameterResource password)
        : base(name) => Password = password;

    /// <inheritdoc />
    public override string Kind => "postgres";

    /// <summary>The superuser's name.</summary>
    public string UserName { get; } = "postgres";

    /// <summary>The superuser's password.</summary>
    public ParameterResource Password { get; }

    /// <summary>The databases declared on this server.</summary>
    public IList<PostgresDatabaseResource> Databases { get; } = new List<PostgresDatabaseResource>();

    /// <inheritdoc />
    public override ContainerSpec Container => new(
        "docker.io/library/postgres",
        "17.6",
        "/var/lib/postgresql/data",
        new Dictionary<string, ReferenceExpression>
        {
            ["POSTGRES_USER"] = ReferenceExpression.Literal(UserName),
            ["POSTGRES_PASSWORD"] = ReferenceExpression.Create($"{Password}"),
            ["POSTGRES_HOST_AUTH_METHOD"] = ReferenceExpression.Literal("scram-sha-256"),
            ["POSTGRES_INITDB_ARGS"] = ReferenceExpression.Literal("--auth-host=scram-sha-256 --auth-local=scram-sha-256"),
        },
        [],
        "pg_isready -h 127.0.0.1 -U \"$POSTGRES_USER\"");

    /// <inheritdoc />
    public override bool SupportsAppCredentials => true;

    /// <summary>An app's role, which also names its schema: <c>app_{name}</c> with '-' as '_'.</summary>
    public override string AppUserName(string app) => "app_" + app.Replace('-', '_');

    /// <inheritdoc />
    protected override ReferenceExpression ServerConnectionString => Connect(UserName, Password);

    /// <inheritdoc />
    protected override ReferenceExpression ServerAppConnectionString(string user, ParameterResource password) => Connect(user, password);

    private ReferenceExpression Connect(string user, ParameterResource password)
    {
        var endpoint = GetEndpoint(PrimaryEndpointName);
        return ReferenceExpression.Create(
            $"Host={endpoint.Property(EndpointProperty.Host)};Port={endpoint.Property(EndpointProperty.Port)};Username={user};Password={password}");
    }
}

/// <summary>A database inside a PostgreSQL server (a SQLite file per app when embedded).</summary>
public sealed class PostgresDatabaseResource : Resource, IResourceWithParent, IResourceWithAppCredentials, IResourceWithWaitSupport
{
    /// <summary>Creates the database resource.</summary>
    public PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent)
        : base(name)
    {
        DatabaseName = databaseName;
        Server = parent;
    }

    /// <inheritdoc />
    public override string Kind => "postgres-database";

    /// <summary>The database's name on the server.</summary>
    public string DatabaseName { get; }

    /// <summary>The server.</summary>
    public PostgresServerResource Server { get; }

    /// <inheritdoc />
    public IResource Parent => Server;

    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Server.ConnectionStringExpression};Database={DatabaseName}");

    /// <inheritdoc />
    public ReferenceExpression? AppConnectionStringExpression(string app) =>
        Server.AppConnectionStringExpression(app) is { } server
            ? ReferenceExpression.Create($"{server};Database={DatabaseName}")
            : null;
}

/// <summary>A Redis server (Garnet or Redis as a process; SQLite stores when embedded).</summary>
public sealed class RedisResource : ServiceResource
{
    /// <summary>The name of the primary endpoint.</summary>
    public const string PrimaryEndpointName = "tcp";

    /// <summary>Creates the server with its password.</summary>
    public RedisResource(string name, ParameterResource password)
        : base(name) => Password = password;

    /// <inheritdoc />
    public override string Kind => "redis";

    /// <summary>The password.</summary>
    public ParameterResource Password { get; }

    /// <inheritdoc />
    public override ContainerSpec Container => new(
        "docker.io/library/redis",
        "7.4",
        "/data",
        new Dictionary<string, ReferenceExpression> { ["REDIS_PASSWORD"] = ReferenceExpression.Create($"{Password}") },
        // An ACL file keeps the apps' users across restarts. With an ACL file Redis ignores
        // requirepass, so the default user's line is written from the environment at each start
        // (the password never appears as a literal argument).
        [
            ReferenceExpression.Literal("sh"),
            ReferenceExpression.Literal("-c"),
            ReferenceExpression.Literal("touch /data/users.acl && { printf 'user default on >%s ~* &* +@all\\n' \"$REDIS_PASSWORD\"; grep -v '^user default ' /data/users.acl; } > /data/users.acl.new && mv /data/users.acl.new /data/users.acl && exec redis-server --aclfile /data/users.acl --appendonly yes"),
        ],
        "redis-cli --no-auth-warning -a \"$REDIS_PASSWORD\" ping | grep -q PONG");

    /// <inheritdoc />
    public override bool SupportsAppCredentials => true;

    /// <inheritdoc />
    protected override ReferenceExpression ServerConnectionString =>
        ReferenceExpression.Create($"{GetEndpoint(PrimaryEndpointName).Property(EndpointProperty.HostAndPort)},password={Password}");

    /// <inheritdoc />
    protected override ReferenceExpression ServerAppConnectionString(string user, ParameterResource password) =>
        ReferenceExpression.Create($"{GetEndpoint(PrimaryEndpointName).Property(EndpointProperty.HostAndPort)},user={user},password={password}");
}

/// <summary>A RabbitMQ broker.</summary>
public sealed class RabbitMQServerResource : ServiceResource
{
    /// <summary>The name of the AMQP endpoint.</summary>
    public const string PrimaryEndpointName = "tcp";

    /// <summary>The name of the management UI endpoint.</summary>
    public const string ManagementEndpointName = "management";

    /// <summary>Creates the broker with its user's password.</summary>
    public RabbitMQServerResource(string name, ParameterResource password)
        : base(name) => Password = password;

    /// <inheritdoc />
    public override string Kind => "rabbitmq";

    /// <summary>The administrator's user name.</summary>
    public string UserName { get; } = "mindora";

    /// <summary>The administrator's password.</summary>
    public ParameterResource Password { get; }

    /// <inheritdoc />
    public override ContainerSpec Container => new(
        "docker.io/library/rabbitmq",
        "4.1-management",
        "/var/lib/rabbitmq",
        new Dictionary<string, ReferenceExpression>
        {
            ["RABBITMQ_DEFAULT_USER"] = ReferenceExpression.Literal(UserName),
            ["RABBITMQ_DEFAULT_PASS"] = ReferenceExpression.Create($"{Password}"),
        },
        [],
        "rabbitmq-diagnostics -q check_port_connectivity");

    /// <inheritdoc />
    public override bool SupportsAppCredentials => true;

    /// <inheritdoc />
    protected override ReferenceExpression ServerConnectionString => Connect(UserName, Password);

    /// <inheritdoc />
    protected override ReferenceExpression ServerAppConnectionString(string user, ParameterResource password) => Connect(user, password);

    private ReferenceExpression Connect(string user, ParameterResource password) =>
        ReferenceExpression.Create($"amqp://{user}:{password}@{GetEndpoint(PrimaryEndpointName).Property(EndpointProperty.HostAndPort)}");
}

/// <summary>An Elasticsearch node (SQLite FTS5 when embedded).</summary>
public sealed class ElasticsearchResource : ServiceResource
{
    /// <summary>The name of the HTTP endpoint.</summary>
    public const string PrimaryEndpointName = "http";

    /// <summary>Creates the node with the <c>elastic</c> user's password.</summary>
    public ElasticsearchResource(string name, ParameterResource password)
        : base(name) => Password = password;

    /// <inheritdoc />
    public override string Kind => "elasticsearch";

    /// <summary>The <c>elastic</c> user's password.</summary>
    public ParameterResource Password { get; }

    /// <inheritdoc />
    public override ContainerSpec Container => new(
        "docker.elastic.co/elasticsearch/elasticsearch",
        "8.17.4",
        "/usr/share/elasticsearch/data",
        new Dictionary<string, ReferenceExpression>
        {
            ["discovery.type"] = ReferenceExpression.Literal("single-node"),
            ["xpack.security.enabled"] = ReferenceExpression.Literal("true"),
            ["xpack.security.http.ssl.enabled"] = ReferenceExpression.Literal("false"),
            ["ELASTIC_PASSWORD"] = ReferenceExpression.Create($"{Password}"),
            ["ES_JAVA_OPTS"] = ReferenceExpression.Literal("-Xms512m -Xmx512m"),
        },
        [],
        // Yellow is a single node's best: its replicas have nowhere to go. Red (a primary missing)
        // fails, as does a node still recovering when the 1 s wait runs out (408).
        "curl -fsS -u \"elastic:$ELASTIC_PASSWORD\" 'http://127.0.0.1:9200/_cluster/health?wait_for_status=yellow&timeout=1s' >/dev/null",
        new Dictionary<string, TunableSetting> { ["ES_JAVA_OPTS"] = new("JAVA_OPTS", "JVM options of elasticsearch; keep the heap (-Xms = -Xmx) at about half of ELASTICSEARCH_MEMORY_LIMIT") });

    /// <inheritdoc />
    protected override ReferenceExpression ServerConnectionString =>
        ReferenceExpression.Create($"http://elastic:{Password}@{GetEndpoint(PrimaryEndpointName).Property(EndpointProperty.HostAndPort)}");
}

/// <summary>A Qdrant vector database (an in-process index when embedded).</summary>
public sealed class QdrantServerResource : ServiceResource
{
    /// <summary>The name of the REST endpoint.</summary>
    public const string PrimaryEndpointName = "http";

    /// <summary>Creates the server with its API key.</summary>
    public QdrantServerResource(string name, ParameterResource apiKey)
        : base(name) => ApiKey = apiKey;

    /// <inheritdoc />
    public override string Kind => "qdrant";

    /// <summary>The API key.</summary>
    public ParameterResource ApiKey { get; }

    /// <inheritdoc />
    public override ContainerSpec Container => new(
        "docker.io/qdrant/qdrant",
        "v1.15.4",
        "/qdrant/storage",
        new Dictionary<string, ReferenceExpression> { ["QDRANT__SERVICE__API_KEY"] = ReferenceExpression.Create($"{ApiKey}") },
        [],
        "bash -c ':> /dev/tcp/127.0.0.1/6333'");

    /// <inheritdoc />
    protected override ReferenceExpression ServerConnectionString =>
        ReferenceExpression.Create($"Endpoint={GetEndpoint(PrimaryEndpointName)};Key={ApiKey}");
}

/// <summary>A MinIO object store (the file system when embedded).</summary>
public sealed class MinioResource : ServiceResource
{
    /// <summary>The name of the S3 API endpoint.</summary>
    public const string PrimaryEndpointName = "http";

    /// <summary>The name of the web console endpoint.</summary>
    public const string ConsoleEndpointName = "console";

    /// <summary>Creates the store with its root user's secret key.</summary>
    public MinioResource(string name, ParameterResource secretKey)
        : base(name) => SecretKey = secretKey;

    /// <inheritdoc />
    public override string Kind => "minio";

    /// <summary>The root user's access key.</summary>
    public string AccessKey { get; } = "mindora";

    /// <summary>The root user's secret key.</summary>
    public ParameterResource SecretKey { get; }

    /// <inheritdoc />
    public override ContainerSpec Container => new(
        "docker.io/minio/minio",
        "RELEASE.2025-09-07T16-13-09Z",
        "/data",
        new Dictionary<string, ReferenceExpression>
        {
            ["MINIO_ROOT_USER"] = ReferenceExpression.Literal(AccessKey),
            ["MINIO_ROOT_PASSWORD"] = ReferenceExpression.Create($"{SecretKey}"),
        },
        [ReferenceExpression.Literal("server"), ReferenceExpression.Literal("/data"), ReferenceExpression.Literal("--console-address"), ReferenceExpression.Literal(":9001")],
        "mc ready local",
        PublicPort: new PublicPort(9000, "S3 API", "Mindora__Files__PublicEndpoint"));

    /// <inheritdoc />
    protected override ReferenceExpression ServerConnectionString =>
        ReferenceExpression.Create($"Endpoint={GetEndpoint(PrimaryEndpointName)};AccessKey={AccessKey};SecretKey={SecretKey}");
}
