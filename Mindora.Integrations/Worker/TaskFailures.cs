namespace Mindora.Integrations.Worker;

/// <summary>Which failures a retry cannot fix: bad input stays bad, so the task fails at once.</summary>
public static class TaskFailures
{
    /// <summary>True for failures that retrying cannot fix.</summary>
    public static bool IsPermanent(Exception error) =>
        error is PermanentTaskFailureException
            or MindoraValidationException
            or MindoraUnsupportedContentException
            or MindoraCorruptContentException
            or MindoraEmptyContentException
            or MindoraPayloadTooLargeException
            or MindoraNotFoundException
            or MindoraIntegrityException;
}
