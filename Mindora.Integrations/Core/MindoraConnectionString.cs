using System.Data.Common;

namespace Mindora.Integrations;

/// <summary>
/// A parsed connection string. Mindora's embedded form is <c>Embedded=/abs/dir</c> (optionally
/// with more <c>key=value</c> pairs); anything else is a server form that the capability parses.
/// The connection string alone selects the provider, so apps never branch on the mode.
/// </summary>
public sealed class MindoraConnectionString
{
    private const string EmbeddedKey = "Embedded";

    private MindoraConnectionString(string raw, string? embeddedDirectory)
    {
        Raw = raw;
        EmbeddedDirectory = embeddedDirectory;
    }

    /// <summary>The connection string as given.</summary>
    public string Raw { get; }

    /// <summary>The data directory when the string is Mindora's embedded form; otherwise null.</summary>
    public string? EmbeddedDirectory { get; }

    /// <summary>True when the connection string selects the embedded provider.</summary>
    public bool IsEmbedded => EmbeddedDirectory is not null;

    /// <summary>Parses <paramref name="connectionString"/>; throws a configuration error naming the connection when it is unusable.</summary>
    public static MindoraConnectionString Parse(string? connectionString, string connectionName)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new MindoraConfigurationException($"Connection string '{connectionName}' is missing or empty; set ConnectionStrings:{connectionName}.");
        }

        if (!connectionString.TrimStart().StartsWith(EmbeddedKey + "=", StringComparison.OrdinalIgnoreCase))
        {
            return new MindoraConnectionString(connectionString, null);
        }

        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            // Do not echo the string: it may hold a secret.
            throw new MindoraConfigurationException($"Connection string '{connectionName}' is not a valid 'key=value;…' list.");
        }

        var directory = builder.TryGetValue(EmbeddedKey, out var value) ? value as string : null;
        if (string.IsNullOrWhiteSpace(directory) || !Path.IsPathFullyQualified(directory))
        {
            throw new MindoraConfigurationException($"Connection string '{connectionName}' selects the embedded provider but 'Embedded=' is not an absolute directory path.");
        }

        return new MindoraConnectionString(connectionString, Path.GetFullPath(directory));
    }

    /// <summary>Formats the embedded form for a directory.</summary>
    public static string ForEmbedded(string directory) => $"{EmbeddedKey}={Path.GetFullPath(directory)}";
}
