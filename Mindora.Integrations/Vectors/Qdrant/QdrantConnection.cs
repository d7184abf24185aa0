using System.Data.Common;

namespace Mindora.Integrations.Vectors.Qdrant;

/// <summary>
/// The AppHost's Qdrant connection string, <c>Endpoint=http://host:port;Key=apikey</c> (the key
/// is optional), as Aspire's Qdrant integration writes it for the REST endpoint.
/// </summary>
internal sealed record QdrantConnection(Uri Endpoint, string? ApiKey)
{
    public static QdrantConnection Parse(string connectionString, string connectionName)
    {
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            // Never echo the string: it holds the API key.
            throw new MindoraConfigurationException($"Connection string '{connectionName}' is not a valid 'Endpoint=http://host:port;Key=…' list.");
        }

        var endpoint = builder.TryGetValue("Endpoint", out var e) ? e as string : null;
        if (endpoint is null || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new MindoraConfigurationException($"Connection string '{connectionName}' needs 'Endpoint=' with an http or https URL of Qdrant's REST API (e.g. Endpoint=http://127.0.0.1:6333;Key=…), or 'Embedded=/absolute/dir'.");
        }

        var key = builder.TryGetValue("Key", out var k) ? k as string : null;
        return new QdrantConnection(new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/"), string.IsNullOrEmpty(key) ? null : key);
    }
}
