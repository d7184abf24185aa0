using System.Text;
using System.Text.RegularExpressions;

namespace Mindora.Integrations;

/// <summary>
/// The rules for every name a caller passes to the SDK. Each method returns the name when it is
/// allowed and otherwise throws <see cref="MindoraInvalidNameException"/> saying what is allowed,
/// so bad names never reach a file path, SQL or a server.
/// </summary>
public static partial class MindoraNames
{
    /// <summary>The rule for app names, as people read it.</summary>
    public const string AppNameRule = "2 to 31 characters: lowercase letters, digits and '-', starting with a letter";

    /// <summary>The rule for logical names (buckets, indexes, queues), as people read it.</summary>
    public const string LogicalNameRule = "1 to 40 characters: lowercase letters, digits and '-', starting with a letter or digit, not ending with '-'";

    /// <summary>The rule for task names, as people read it.</summary>
    public const string TaskNameRule = "1 to 100 characters: letters, digits, '-', '_', '.' and ':', starting with a letter";

    /// <summary>The longest object key, in UTF-8 bytes.</summary>
    public const int MaxObjectKeyBytes = 1024;

    /// <summary>Validates an app name (<c>^[a-z][a-z0-9-]{1,30}$</c>).</summary>
    public static string ValidateAppName(string? name, string parameterName = "appName") =>
        Check(name, AppNameRegex(), "app", parameterName, AppNameRule);

    /// <summary>Validates a logical name such as a bucket, index or queue of one app.</summary>
    public static string ValidateLogicalName(string? name, string kind, string parameterName) =>
        Check(name, LogicalNameRegex(), kind, parameterName, LogicalNameRule);

    /// <summary>Validates the name a task is registered and enqueued under.</summary>
    public static string ValidateTaskName(string? name, string parameterName = "taskName") =>
        Check(name, TaskNameRegex(), "task", parameterName, TaskNameRule);

    /// <summary>
    /// Validates an object key: UTF-8, 1 to 1024 bytes, no control characters, no leading '/',
    /// no empty, '.' or '..' segment, and no backslash (so no key can act as a path).
    /// </summary>
    public static string ValidateObjectKey(string? key, string parameterName = "key")
    {
        const string rule = "1 to 1024 UTF-8 bytes, no control characters or backslashes, not starting with '/', and no empty, '.' or '..' segments";
        if (string.IsNullOrEmpty(key))
        {
            throw Invalid("object key", parameterName, "(empty)", rule);
        }

        if (Encoding.UTF8.GetByteCount(key) > MaxObjectKeyBytes || !IsWellFormedUtf16(key))
        {
            throw Invalid("object key", parameterName, key, rule);
        }

        foreach (var c in key)
        {
            if (char.IsControl(c) || c == '\\')
            {
                throw Invalid("object key", parameterName, key, rule);
            }
        }

        if (key.StartsWith('/'))
        {
            throw Invalid("object key", parameterName, key, rule);
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment is "." or "..")
            {
                throw Invalid("object key", parameterName, key, rule);
            }
        }

        return key;
    }

    internal static bool IsWellFormedUtf16(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static string Check(string? name, Regex regex, string kind, string parameterName, string rule)
    {
        if (name is null || !regex.IsMatch(name))
        {
            throw Invalid(kind, parameterName, name ?? "(null)", rule);
        }

        return name;
    }

    /// <summary>The error for a rejected name, echoing only a short printable prefix of it.</summary>
    internal static MindoraInvalidNameException Invalid(string kind, string parameterName, string value, string rule)
    {
        // Echo at most a short, printable prefix: the value may be hostile or huge.
        var shown = new string(value.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        if (value.Length > 64)
        {
            shown += "…";
        }

        return new MindoraInvalidNameException(kind, parameterName, $"Invalid {kind} name '{shown}': allowed is {rule}.");
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,30}$", RegexOptions.CultureInvariant)]
    private static partial Regex AppNameRegex();

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LogicalNameRegex();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.:-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex TaskNameRegex();
}
