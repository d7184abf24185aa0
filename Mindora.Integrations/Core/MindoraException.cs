namespace Mindora.Integrations;

/// <summary>
/// The base of every error the Mindora SDK raises on purpose. The message always says what was
/// wrong and, where it applies, what is allowed; <see cref="ErrorCode"/> is stable for callers
/// and HTTP mappings.
/// </summary>
public abstract class MindoraException : Exception
{
    /// <summary>Creates the exception with a stable error code and a message for people.</summary>
    protected MindoraException(string errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>A short, stable, machine-readable code such as <c>invalid_name</c>.</summary>
    public string ErrorCode { get; }
}

/// <summary>An argument (a name, a key, a payload) broke a rule; nothing was changed.</summary>
public class MindoraValidationException : MindoraException
{
    /// <summary>Creates the exception for the argument <paramref name="parameterName"/>.</summary>
    public MindoraValidationException(string parameterName, string message, string errorCode = "invalid_argument")
        : base(errorCode, message)
    {
        ParameterName = parameterName;
    }

    /// <summary>The argument that was rejected.</summary>
    public string ParameterName { get; }
}

/// <summary>A name (app, bucket, object key, index, queue, schema, config key) is not allowed.</summary>
public sealed class MindoraInvalidNameException : MindoraValidationException
{
    /// <summary>Creates the exception for a rejected name of the given kind.</summary>
    public MindoraInvalidNameException(string kind, string parameterName, string message)
        : base(parameterName, message, "invalid_name")
    {
        Kind = kind;
    }

    /// <summary>What kind of name was rejected, e.g. <c>app</c> or <c>object key</c>.</summary>
    public string Kind { get; }
}

/// <summary>Content is larger than the configured limit; nothing was stored.</summary>
public sealed class MindoraPayloadTooLargeException : MindoraException
{
    /// <summary>Creates the exception with the limit that was exceeded.</summary>
    public MindoraPayloadTooLargeException(string what, long limitBytes)
        : base("payload_too_large", $"{what} is larger than the limit of {limitBytes} bytes.")
    {
        LimitBytes = limitBytes;
    }

    /// <summary>The limit, in bytes.</summary>
    public long LimitBytes { get; }
}

/// <summary>Content is empty where content is required; nothing was stored.</summary>
public sealed class MindoraEmptyContentException : MindoraException
{
    /// <summary>Creates the exception naming what was empty.</summary>
    public MindoraEmptyContentException(string what)
        : base("empty_content", $"{what} is empty; at least one byte is required.")
    {
    }
}

/// <summary>The content type is not one this operation accepts.</summary>
public sealed class MindoraUnsupportedContentException : MindoraException
{
    /// <summary>Creates the exception with the rejected type and the accepted ones.</summary>
    public MindoraUnsupportedContentException(string contentType, IEnumerable<string> allowed)
        : base("unsupported_content", $"Content type '{contentType}' is not supported; allowed: {string.Join(", ", allowed)}.")
    {
        ContentType = contentType;
    }

    /// <summary>The content type that was rejected.</summary>
    public string ContentType { get; }
}

/// <summary>The thing asked for does not exist (or belongs to another app, which looks the same).</summary>
public sealed class MindoraNotFoundException : MindoraException
{
    /// <summary>Creates the exception naming what was not found.</summary>
    public MindoraNotFoundException(string what)
        : base("not_found", $"{what} was not found.")
    {
    }
}

/// <summary>The operation conflicts with existing state (a duplicate, a constraint, a version).</summary>
public sealed class MindoraConflictException : MindoraException
{
    /// <summary>Creates the exception describing the conflict.</summary>
    public MindoraConflictException(string message, Exception? innerException = null)
        : base("conflict", message, innerException)
    {
    }
}

/// <summary>Stored bytes do not match what the caller expected (a checksum or a signature).</summary>
public sealed class MindoraIntegrityException : MindoraException
{
    /// <summary>Creates the exception describing the mismatch.</summary>
    public MindoraIntegrityException(string message)
        : base("integrity", message)
    {
    }
}

/// <summary>A backing store could not be reached or used; the operation may succeed if retried.</summary>
public sealed class MindoraUnavailableException : MindoraException
{
    /// <summary>Creates the exception, keeping the underlying cause.</summary>
    public MindoraUnavailableException(string message, Exception? innerException = null)
        : base("unavailable", message, innerException)
    {
    }
}

/// <summary>A connection string or option is malformed; raised at start-up, before any I/O.</summary>
public sealed class MindoraConfigurationException : MindoraException
{
    /// <summary>Creates the exception describing the bad setting.</summary>
    public MindoraConfigurationException(string message)
        : base("configuration", message)
    {
    }
}
