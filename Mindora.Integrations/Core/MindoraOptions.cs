namespace Mindora.Integrations;

/// <summary>Options for <c>AddMindora(appName)</c>: which connection string feeds which capability.</summary>
public sealed class MindoraOptions
{
    /// <summary>The connection string name of object storage (Files). Default <c>files</c>.</summary>
    public string FilesConnectionName { get; set; } = "files";

    /// <summary>The connection string name of background tasks (Tasks). Default <c>redis</c>.</summary>
    public string TasksConnectionName { get; set; } = "redis";

    /// <summary>The connection string name of the cache (Cache: Redis or embedded). Default <c>redis</c>.</summary>
    public string CacheConnectionName { get; set; } = "redis";

    /// <summary>The connection string name of full-text search (Search). Default <c>elasticsearch</c>.</summary>
    public string SearchConnectionName { get; set; } = "elasticsearch";

    /// <summary>The connection string name of vector search (Vectors: Qdrant or embedded). Default <c>qdrant</c>.</summary>
    public string VectorsConnectionName { get; set; } = "qdrant";

    /// <summary>The connection string name of messaging (Messaging: RabbitMQ or embedded). Default <c>rabbitmq</c>.</summary>
    public string MessagingConnectionName { get; set; } = "rabbitmq";
}
