using System.Net.Sockets;
using RabbitMQ.Client.Exceptions;

namespace Mindora.Integrations.Messaging;

/// <summary>Which RabbitMQ failures are worth another try, and the typed errors the others become.</summary>
internal static class RabbitErrors
{
    private const int NotFound = 404;
    private const int AccessRefused = 403;
    private const int PreconditionFailed = 406;

    /// <summary>Connection-level trouble that recovery fixes, and nacks (the broker could not take it now).</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        AlreadyClosedException closed => ReplyCode(closed) is not (AccessRefused or NotFound or PreconditionFailed),
        OperationInterruptedException interrupted => ReplyCode(interrupted) is not (AccessRefused or NotFound or PreconditionFailed),
        PublishException publish => !publish.IsReturn,
        BrokerUnreachableException or ConnectFailureException or IOException or SocketException => true,
        _ => false,
    };

    /// <summary>The typed error for a refused operation on <paramref name="what"/>, or null to let it through.</summary>
    public static MindoraException? Translate(Exception e, string what) => e switch
    {
        MindoraException => null,
        OperationInterruptedException i when ReplyCode(i) == AccessRefused =>
            new MessagingAccessDeniedException($"RabbitMQ refused {what} to this app's user: an app may use only its own queues and exchanges and the shared ones.", e),
        OperationInterruptedException i when ReplyCode(i) == NotFound =>
            new MindoraNotFoundException(Capitalized(what)),
        OperationInterruptedException i when ReplyCode(i) == PreconditionFailed =>
            new MindoraConflictException($"RabbitMQ refused {what}: it exists with other settings ({i.ShutdownReason?.ReplyText}).", e),
        PublishException { IsReturn: true } => new MindoraNotFoundException($"The destination of {what}"),
        BrokerUnreachableException or AuthenticationFailureException =>
            new MindoraUnavailableException($"RabbitMQ is unreachable or refused the credentials while attempting {what}.", e),
        _ when IsTransient(e) => new MindoraUnavailableException($"RabbitMQ failed during {what}: {e.Message}", e),
        _ => null,
    };

    private static int? ReplyCode(OperationInterruptedException e) => e.ShutdownReason?.ReplyCode;

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
