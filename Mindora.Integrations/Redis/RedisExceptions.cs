namespace Mindora.Integrations.Redis;

/// <summary>
/// The server answered a command with an error (<c>-WRONGTYPE …</c>, <c>-NOPERM …</c>). The
/// connection stays usable. <see cref="Prefix"/> is the error's first word.
/// </summary>
internal sealed class RedisServerException : MindoraException
{
    public RedisServerException(string command, string message)
        : base(ErrorCodeFor(Prefixed(message)), $"Redis refused {command}: {message}")
    {
        Command = command;
        Prefix = Prefixed(message);
        ServerMessage = message;
    }

    /// <summary>The command's name (never its arguments).</summary>
    public string Command { get; }

    /// <summary>The error's first word, e.g. <c>NOPERM</c>, <c>WRONGPASS</c>, <c>NOSCRIPT</c>, <c>ERR</c>.</summary>
    public string Prefix { get; }

    /// <summary>The error text as the server sent it.</summary>
    public string ServerMessage { get; }

    private static string Prefixed(string message)
    {
        var space = message.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? message : message[..space];
    }

    private static string ErrorCodeFor(string prefix) => prefix switch
    {
        "NOPERM" or "WRONGPASS" or "NOAUTH" => "forbidden",
        _ => "redis_error",
    };
}

/// <summary>The bytes from the server are not valid RESP; the connection is dropped.</summary>
internal sealed class RespProtocolException(string message) : IOException(message);
