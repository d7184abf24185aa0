namespace Mindora.Integrations;

/// <summary>
/// A document of a supported type cannot be read: damaged, encrypted, or a zip bomb. Retrying
/// cannot help; the message names the document kind and the reason.
/// </summary>
public sealed class MindoraCorruptContentException : MindoraException
{
    /// <summary>Creates the exception for a <paramref name="kind"/> of document and the <paramref name="reason"/> it cannot be read.</summary>
    public MindoraCorruptContentException(string kind, string reason)
        : base("corrupt_content", $"The {kind} cannot be read (corrupt or protected): {reason}.")
    {
        Kind = kind;
        Reason = reason;
    }

    /// <summary>What kind of document it is, e.g. <c>PDF document</c>.</summary>
    public string Kind { get; }

    /// <summary>Why it cannot be read.</summary>
    public string Reason { get; }
}
