using System.Net.Http.Headers;
using System.Text;

namespace Mindora.Integrations.Search.Elasticsearch;

/// <summary>
/// The server connection string in the AppHost's form, <c>http://elastic:password@host:9200</c>
/// (https too): the URL without its user info, and the Basic credentials taken from it.
/// The raw string is never echoed in errors: it holds the password.
/// </summary>
internal sealed class ElasticsearchConnection
{
    private ElasticsearchConnection(Uri endpoint, AuthenticationHeaderValue? authorization)
    {
        Endpoint = endpoint;
        Authorization = authorization;
    }

    /// <summary>The base URL (scheme, host, port, path), without credentials.</summary>
    public Uri Endpoint { get; }

    /// <summary>Basic credentials, when the URL had any.</summary>
    public AuthenticationHeaderValue? Authorization { get; }

    /// <summary>True when the connection string is an http(s) URL.</summary>
    public static bool IsServer(string raw) =>
        Uri.TryCreate(raw.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0;

    public static ElasticsearchConnection Parse(string raw, string connectionName)
    {
        if (!Uri.TryCreate(raw.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new MindoraConfigurationException($"Connection string '{connectionName}' is not an Elasticsearch URL of the form http(s)://user:password@host:port.");
        }

        AuthenticationHeaderValue? authorization = null;
        if (uri.UserInfo.Length > 0)
        {
            var separator = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Uri.UnescapeDataString(separator < 0 ? uri.UserInfo : uri.UserInfo[..separator]);
            var password = separator < 0 ? string.Empty : Uri.UnescapeDataString(uri.UserInfo[(separator + 1)..]);
            authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
        }

        var path = uri.AbsolutePath.EndsWith('/') ? uri.AbsolutePath : uri.AbsolutePath + "/";
        return new ElasticsearchConnection(new UriBuilder(uri.Scheme, uri.Host, uri.Port, path).Uri, authorization);
    }
}
