using System.Data.Common;

namespace Mindora.Integrations.Files;

/// <summary>
/// The S3/MinIO connection string: <c>Endpoint=http://h:p;AccessKey=a;SecretKey=s</c>, optionally
/// <c>;Region=r</c> (default <c>us-east-1</c>). The secret never appears in messages.
/// </summary>
internal sealed record S3ConnectionSettings(Uri Endpoint, string AccessKey, string SecretKey, string Region)
{
    public static S3ConnectionSettings Parse(string connectionString, string connectionName)
    {
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            throw Invalid(connectionName);
        }

        string? Get(string key) => builder.TryGetValue(key, out var value) ? value as string : null;
        if (!Uri.TryCreate(Get("Endpoint"), UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https")
            || string.IsNullOrEmpty(Get("AccessKey")) || string.IsNullOrEmpty(Get("SecretKey")))
        {
            throw Invalid(connectionName);
        }

        return new S3ConnectionSettings(endpoint, Get("AccessKey")!, Get("SecretKey")!, Get("Region") is { Length: > 0 } region ? region : "us-east-1");
    }

    // Never echo the string: it holds the secret key.
    private static MindoraConfigurationException Invalid(string connectionName) =>
        new($"Connection string '{connectionName}' is not a valid S3 form; expected 'Endpoint=http(s)://host:port;AccessKey=…;SecretKey=…' (optionally ';Region=…').");
}
