namespace Mindora.Hosting.ApplicationModel;

/// <summary>
/// A value the stack needs from outside (an API key, a password). Its value comes from
/// configuration <c>Parameters:{name}</c>; a parameter with a generated default gets a random
/// value that is kept in the data directory so it survives restarts.
/// </summary>
public sealed class ParameterResource : Resource, IValueProvider, IManifestExpressionProvider
{
    private string? _value;

    /// <summary>Declares a parameter.</summary>
    public ParameterResource(string name, bool secret, GeneratedParameterDefault? generatedDefault = null)
        : base(name)
    {
        Secret = secret;
        GeneratedDefault = generatedDefault;
    }

    /// <inheritdoc />
    public override string Kind => "parameter";

    /// <summary>Whether the value is a secret: masked in the dashboard, logs and published files.</summary>
    public bool Secret { get; }

    /// <summary>How to make a value when configuration gives none, or null to require one.</summary>
    public GeneratedParameterDefault? GeneratedDefault { get; }

    /// <summary>True once the orchestrator has resolved the value.</summary>
    public bool HasValue => _value is not null;

    /// <inheritdoc />
    public ValueTask<string?> GetValueAsync(ValueResolutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_value is null)
        {
            throw new InvalidOperationException($"Parameter '{Name}' has no value yet: values are resolved when the stack starts.");
        }

        return ValueTask.FromResult<string?>(Secret && context.MaskSecrets ? ValueResolutionContext.Mask : _value);
    }

    /// <inheritdoc />
    public string ValueExpression => $"{{{Name}.value}}";

    internal void SetValue(string value) => _value = value;
}

/// <summary>How a generated parameter value is made.</summary>
/// <param name="MinLength">The length of the generated value.</param>
/// <param name="Special">Whether punctuation may appear (off by default: values land in URLs).</param>
public sealed record GeneratedParameterDefault(int MinLength = 24, bool Special = false);
