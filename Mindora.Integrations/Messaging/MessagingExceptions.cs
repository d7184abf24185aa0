namespace Mindora.Integrations.Messaging;

/// <summary>The queue or exchange belongs to another app (or the broker refused the app's user); nothing was sent or consumed.</summary>
public sealed class MessagingAccessDeniedException : MindoraException
{
    /// <summary>Creates the exception naming the refused queue or exchange.</summary>
    public MessagingAccessDeniedException(string message, Exception? innerException = null)
        : base("forbidden", message, innerException)
    {
    }
}

/// <summary>A request got no reply in time.</summary>
public sealed class MessagingTimeoutException : MindoraException
{
    /// <summary>Creates the exception naming the queue and the timeout.</summary>
    public MessagingTimeoutException(string queue, TimeSpan timeout)
        : base("timeout", $"No reply to the request on queue '{queue}' within {timeout.TotalSeconds:0.###} s.")
    {
        Queue = queue;
    }

    /// <summary>The queue the request was sent to.</summary>
    public string Queue { get; }
}

/// <summary>The responder's handler failed; the message carries its error.</summary>
public sealed class MessagingRequestFailedException : MindoraException
{
    /// <summary>Creates the exception with the responder's error.</summary>
    public MessagingRequestFailedException(string queue, string error)
        : base("request_failed", $"The request on queue '{queue}' failed in its responder: {error}")
    {
        Queue = queue;
        RemoteError = error;
    }

    /// <summary>The queue the request was sent to.</summary>
    public string Queue { get; }

    /// <summary>The responder's error text.</summary>
    public string RemoteError { get; }
}
