namespace Mindora.Integrations.Data;

/// <summary>What a span may say about a statement: its leading keyword, never its values.</summary>
internal static class DataStatements
{
    /// <summary>The first keyword, upper-case (<c>SELECT</c>, <c>INSERT</c>, …), or <c>COMMAND</c>.</summary>
    public static string Operation(string? commandText)
    {
        if (string.IsNullOrEmpty(commandText))
        {
            return "COMMAND";
        }

        var span = commandText.AsSpan().TrimStart();
        var length = 0;
        while (length < span.Length && length < 16 && char.IsAsciiLetter(span[length]))
        {
            length++;
        }

        return length == 0 ? "COMMAND" : span[..length].ToString().ToUpperInvariant();
    }
}
