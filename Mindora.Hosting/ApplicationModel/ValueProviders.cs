namespace Mindora.Hosting.ApplicationModel;

/// <summary>How a value is wanted: for a process to use, or for people to look at.</summary>
/// <param name="MaskSecrets">When true, secret values are replaced by a fixed mask.</param>
public sealed record ValueResolutionContext(bool MaskSecrets)
{
    /// <summary>The mask shown instead of a secret value; fixed length so it reveals nothing.</summary>
    public const string Mask = "********";

    /// <summary>Real values, for child processes.</summary>
    public static ValueResolutionContext Run { get; } = new(false);

    /// <summary>Secrets masked, for the dashboard and logs.</summary>
    public static ValueResolutionContext Masked { get; } = new(true);
}

/// <summary>Something whose value is known only once the stack runs (a port, a password).</summary>
public interface IValueProvider
{
    /// <summary>Resolves the value; null when it has none.</summary>
    ValueTask<string?> GetValueAsync(ValueResolutionContext context, CancellationToken cancellationToken = default);
}

/// <summary>Something that renders as a placeholder in a published manifest.</summary>
public interface IManifestExpressionProvider
{
    /// <summary>The placeholder, e.g. <c>{redis.bindings.tcp.port}</c>.</summary>
    string ValueExpression { get; }
}
