using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting;

/// <summary>
/// Declares the backing services. Each gets its standard endpoints and a generated password
/// (or the parameter given), and runs as a container, a process or embedded.
/// </summary>
public static class ServiceBuilderExtensions
{
    /// <summary>Adds a PostgreSQL server.</summary>
    public static IResourceBuilder<PostgresServerResource> AddPostgres(this MindoraApplicationBuilder builder, string name, IResourceBuilder<ParameterResource>? password = null, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var secret = password?.Resource ?? ParameterBuilderExtensions.GeneratedSecret(name, "password");
        var resource = new PostgresServerResource(name, secret);
        return builder.AddServiceWithSecret(resource, secret, password is null).WithEndpoint(PostgresServerResource.PrimaryEndpointName, "tcp", port, 5432);
    }

    /// <summary>Adds a database to a PostgreSQL server (one SQLite file per app when embedded).</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> server, string name, string? databaseName = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var database = new PostgresDatabaseResource(name, databaseName ?? name, server.Resource);
        server.Resource.Databases.Add(database);
        return server.ApplicationBuilder.AddResource(database);
    }

    /// <summary>Adds a Redis server.</summary>
    public static IResourceBuilder<RedisResource> AddRedis(this MindoraApplicationBuilder builder, string name, int? port = null, IResourceBuilder<ParameterResource>? password = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var secret = password?.Resource ?? ParameterBuilderExtensions.GeneratedSecret(name, "password");
        var resource = new RedisResource(name, secret);
        return builder.AddServiceWithSecret(resource, secret, password is null).WithEndpoint(RedisResource.PrimaryEndpointName, "tcp", port, 6379);
    }

    /// <summary>Adds a RabbitMQ broker (with its management UI).</summary>
    public static IResourceBuilder<RabbitMQServerResource> AddRabbitMQ(this MindoraApplicationBuilder builder, string name, IResourceBuilder<ParameterResource>? password = null, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var secret = password?.Resource ?? ParameterBuilderExtensions.GeneratedSecret(name, "password");
        var resource = new RabbitMQServerResource(name, secret);
        return builder.AddServiceWithSecret(resource, secret, password is null)
            .WithEndpoint(RabbitMQServerResource.PrimaryEndpointName, "tcp", port, 5672)
            .WithEndpoint(RabbitMQServerResource.ManagementEndpointName, "http", null, 15672);
    }

    /// <summary>Adds an Elasticsearch node.</summary>
    public static IResourceBuilder<ElasticsearchResource> AddElasticsearch(this MindoraApplicationBuilder builder, string name, IResourceBuilder<ParameterResource>? password = null, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var secret = password?.Resource ?? ParameterBuilderExtensions.GeneratedSecret(name, "password");
        var resource = new ElasticsearchResource(name, secret);
        return builder.AddServiceWithSecret(resource, secret, password is null).WithEndpoint(ElasticsearchResource.PrimaryEndpointName, "http", port, 9200);
    }

    /// <summary>Adds a Qdrant vector database.</summary>
    public static IResourceBuilder<QdrantServerResource> AddQdrant(this MindoraApplicationBuilder builder, string name, IResourceBuilder<ParameterResource>? apiKey = null, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var secret = apiKey?.Resource ?? ParameterBuilderExtensions.GeneratedSecret(name, "key");
        var resource = new QdrantServerResource(name, secret);
        return builder.AddServiceWithSecret(resource, secret, apiKey is null).WithEndpoint(QdrantServerResource.PrimaryEndpointName, "http", port, 6333);
    }

    /// <summary>Adds a MinIO object store (with its console).</summary>
    public static IResourceBuilder<MinioResource> AddMinio(this MindoraApplicationBuilder builder, string name, IResourceBuilder<ParameterResource>? secretKey = null, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var secret = secretKey?.Resource ?? ParameterBuilderExtensions.GeneratedSecret(name, "secret-key");
        var resource = new MinioResource(name, secret);
        return builder.AddServiceWithSecret(resource, secret, secretKey is null)
            .WithEndpoint(MinioResource.PrimaryEndpointName, "http", port, 9000)
            .WithEndpoint(MinioResource.ConsoleEndpointName, "http", null, 9001);
    }
}
