namespace Mindora.Integrations;

/// <summary>Checks for free-form identifiers (document ids, worker ids, idempotency keys, metadata).</summary>
internal static class MindoraArguments
{
    /// <summary>Requires 1 to <paramref name="maxLength"/> characters and no control characters.</summary>
    public static string RequireIdentifier(string? value, string parameterName, string what, int maxLength)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxLength || ContainsControl(value))
        {
            throw new MindoraValidationException(
                parameterName,
                $"Invalid {what}: allowed is 1 to {maxLength} characters without control characters.");
        }

        return value;
    }

    /// <summary>True when <paramref name="value"/> holds a control character (C0, DEL or C1).</summary>
    public static bool ContainsControl(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }
}
