using System.Security.Cryptography;
using System.Text;

namespace Mindora.Integrations.Cache;

/// <summary>
/// Validates caller-given names and puts them under the app's prefix. Each kind has its own
/// namespace below <c>{app}:</c> — values <c>c:</c>, locks <c>l:</c>, GetOrCreate's locks
/// <c>f:</c>, <c>IDistributedCache</c> entries <c>d:</c>, output-cache entries <c>o:</c> and their
/// tags <c>t:</c> — so no key of one kind can collide with
/// another, and none can leave the app (app names have no ':').
/// </summary>
internal sealed class CacheKeys
{
    private readonly string _app;
    private readonly int _maxBytes;

    public CacheKeys(string app, int maxBytes)
    {
        _app = MindoraNames.ValidateAppName(app);
        _maxBytes = maxBytes;
    }

    public string App => _app;

    public string Value(string? key) => $"{_app}:c:{Validate(key, "cache key", nameof(key))}";

    public string ValuePrefix(string? prefix) => $"{_app}:c:{Validate(prefix, "cache key prefix", nameof(prefix))}";

    public string Lock(string? name) => $"{_app}:l:{Validate(name, "lock", nameof(name))}";

    /// <summary>The lock GetOrCreate takes for an already-built value key.</summary>
    public string FlightLock(string valueKey) => $"{_app}:f:{valueKey[(_app.Length + 3)..]}";

    public string Session(string? key) => $"{_app}:d:{Validate(key, "cache key", nameof(key))}";

    /// <summary>
    /// An output-cache entry. ASP.NET Core builds these keys itself (with separators that are
    /// control characters, and of any length), so they are hashed rather than validated.
    /// </summary>
    public string OutputEntry(string key) => $"{_app}:o:{Hash(key, nameof(key))}";

    /// <summary>The token of an output-cache tag (hashed like entries: tags come from endpoint metadata, any text).</summary>
    public string OutputTag(string tag) => $"{_app}:t:{Hash(tag, nameof(tag))}";

    public string Channel(string? channel) => $"{_app}:{Validate(channel, "channel", nameof(channel))}";

    private static string Hash(string value, string parameterName)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, parameterName);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
    }

    private string Validate(string? value, string kind, string parameterName)
    {
        var rule = $"1 to {_maxBytes} UTF-8 bytes without control characters";
        if (string.IsNullOrEmpty(value))
        {
            throw new MindoraInvalidNameException(kind, parameterName, $"Invalid {kind} '(empty)': allowed is {rule}.");
        }

        if (MindoraArguments.ContainsControl(value) || !IsWellFormed(value) || Encoding.UTF8.GetByteCount(value) > _maxBytes)
        {
            throw new MindoraInvalidNameException(kind, parameterName, $"Invalid {kind} '{Shown(value)}' ({value.Length} characters): allowed is {rule}.");
        }

        return value;
    }

    // A lone surrogate would become U+FFFD on the wire, so two different names could meet.
    private static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static string Shown(string value)
    {
        var shown = new string(value.Take(64).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c).ToArray());
        return value.Length > 64 ? shown + "…" : shown;
    }
}
