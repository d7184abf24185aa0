using System.Globalization;
using System.Text.RegularExpressions;

namespace Mindora.Integrations.Search;

/// <summary>
/// Names of time-based indexes: <c>{name}-yyyy.MM</c> (a month of data each), queried together
/// through the pattern <c>{name}-*</c>. On a server the app's prefix is added: <c>{app}-{name}-yyyy.MM</c>.
/// </summary>
public static partial class SearchIndexNames
{
    /// <summary>The index for the month of <paramref name="at"/> (UTC), e.g. <c>logs-2026.11</c>.</summary>
    public static string Monthly(string name, DateTimeOffset at) =>
        MindoraNames.ValidateLogicalName(name, "index", nameof(name)) + "-" + at.UtcDateTime.ToString("yyyy.MM", CultureInfo.InvariantCulture);

    /// <summary>The pattern that queries every monthly index of <paramref name="name"/>, e.g. <c>logs-*</c>.</summary>
    public static string MonthlyPattern(string name) => MindoraNames.ValidateLogicalName(name, "index", nameof(name)) + "-*";

    /// <summary>Validates an index name: a logical name, optionally followed by <c>-yyyy.MM</c>.</summary>
    internal static string Validate(string? index, string parameterName = "index")
    {
        if (index is not null && MonthSuffix().Match(index) is { Success: true } month)
        {
            MindoraNames.ValidateLogicalName(index[..^8], "index", parameterName);
            return int.Parse(month.Groups[1].ValueSpan, CultureInfo.InvariantCulture) is >= 1 and <= 12
                ? index
                : throw new MindoraInvalidNameException("index", parameterName, $"Index '{SearchMapping.Printable(index)}' has no valid month (yyyy.MM, 01 to 12).");
        }

        return MindoraNames.ValidateLogicalName(index, "index", parameterName);
    }

    /// <summary>The base name when <paramref name="index"/> is a monthly pattern (<c>name-*</c>), else null after validating it as an index name.</summary>
    internal static string? PatternBase(string? index, string parameterName = "index")
    {
        if (index is not null && index.EndsWith("-*", StringComparison.Ordinal))
        {
            return MindoraNames.ValidateLogicalName(index[..^2], "index", parameterName);
        }

        Validate(index, parameterName);
        return null;
    }

    /// <summary>True when <paramref name="index"/> is a monthly index of <paramref name="baseName"/>.</summary>
    internal static bool IsMonthlyOf(string index, string baseName) =>
        index.Length == baseName.Length + 8 && index.StartsWith(baseName + "-", StringComparison.Ordinal) && MonthSuffix().IsMatch(index);

    [GeneratedRegex(@"-[0-9]{4}\.([0-9]{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex MonthSuffix();
}
