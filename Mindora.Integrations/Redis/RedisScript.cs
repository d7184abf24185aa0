using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Mindora.Integrations.Redis;

/// <summary>
/// A Lua script run with <c>EVALSHA</c>; when the server does not have it cached (<c>NOSCRIPT</c>:
/// first use, a restart, <c>SCRIPT FLUSH</c>), the client sends it once with <c>EVAL</c>, which
/// caches it again.
/// </summary>
internal sealed class RedisScript
{
    public RedisScript(string source)
    {
        Source = source;
        Sha1 = Hash(source);
    }

    public string Source { get; }

    /// <summary>The script's SHA-1 as lowercase hex, the name the server caches it under.</summary>
    public string Sha1 { get; }

    [SuppressMessage("Security", "CA5350:Do not use weak cryptographic algorithms", Justification = "Redis names cached scripts by their SHA-1; it is an identifier here, not a security control.")]
    private static string Hash(string source) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(source)));
}
