using System.Text.RegularExpressions;

namespace Mindora.Integrations.Messaging;

/// <summary>Rules for the envelope values callers set: ids, types and their own headers.</summary>
internal static partial class MessageHeaders
{
    private const int MaxValueLength = 1024;

    public static string ValidateName(string name)
    {
        if (name is null || !HeaderNameRegex().IsMatch(name) || MessageEnvelope.IsReserved(name))
        {
            throw new MindoraInvalidNameException("header", "Headers", $"Invalid header name '{Shown(name)}': allowed are 1 to 64 letters, digits, '-' and '_', not starting with 'mindora-' and not a trace header.");
        }

        return name;
    }

    public static string ValidateValue(string name, string value) =>
        value is not null && value.Length <= MaxValueLength && !value.Any(char.IsControl)
            ? value
            : throw new MindoraValidationException("Headers", $"The value of header '{name}' must be at most {MaxValueLength} characters without control characters.");

    /// <summary>Ids and types: 1 to 200 printable characters; null stays null.</summary>
    public static string? ValidateId(string? value, string parameterName) =>
        value is null || (value.Length is > 0 and <= 200 && !value.Any(char.IsControl))
            ? value
            : throw new MindoraValidationException(parameterName, $"{parameterName} must be 1 to 200 characters without control characters.");

    private static string Shown(string? value) =>
        value is null ? "(null)" : new string(value.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderNameRegex();
}
