using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Mindora.Hosting.ApplicationModel;

/// <summary>
/// A string built from literal text and late-evaluated values (endpoints, parameters, other
/// expressions). The same expression yields real values at run time and placeholders when
/// published, so the stack is described once.
/// </summary>
public sealed class ReferenceExpression : IValueProvider, IManifestExpressionProvider
{
    private readonly IValueProvider[] _providers;
    private readonly string[] _manifestExpressions;

    private ReferenceExpression(string format, IValueProvider[] providers, string[] manifestExpressions)
    {
        Format = format;
        _providers = providers;
        _manifestExpressions = manifestExpressions;
    }

    /// <summary>The composite format string: literals with braces doubled and <c>{n}</c> holes.</summary>
    public string Format { get; }

    /// <summary>The values that fill the holes, in order.</summary>
    public IReadOnlyList<IValueProvider> ValueProviders => _providers;

    /// <summary>Builds an expression from an interpolated string whose holes are value providers.</summary>
    public static ReferenceExpression Create(in ExpressionInterpolatedStringHandler handler) => handler.Build();

    /// <summary>An expression that is only literal text.</summary>
    public static ReferenceExpression Literal(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new ReferenceExpression(Escape(text), [], []);
    }

    /// <inheritdoc />
    public async ValueTask<string?> GetValueAsync(ValueResolutionContext context, CancellationToken cancellationToken = default)
    {
        var values = new object?[_providers.Length];
        for (var i = 0; i < _providers.Length; i++)
        {
            values[i] = await _providers[i].GetValueAsync(context, cancellationToken).ConfigureAwait(false);
        }

        return string.Format(CultureInfo.InvariantCulture, Format, values);
    }

    /// <inheritdoc />
    public string ValueExpression =>
        string.Format(CultureInfo.InvariantCulture, Format, _manifestExpressions.Cast<object?>().ToArray());

    /// <inheritdoc />
    public override string ToString() => ValueExpression;

    internal static string Escape(string text) => text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);

    /// <summary>Collects the parts of an interpolated string into a <see cref="ReferenceExpression"/>.</summary>
    [InterpolatedStringHandler]
    public ref struct ExpressionInterpolatedStringHandler
    {
        private readonly StringBuilder _format;
        private readonly List<IValueProvider> _providers;
        private readonly List<string> _manifest;

        /// <summary>Called by the compiler.</summary>
        public ExpressionInterpolatedStringHandler(int literalLength, int formattedCount)
        {
            _format = new StringBuilder(literalLength + (formattedCount * 4));
            _providers = new List<IValueProvider>(formattedCount);
            _manifest = new List<string>(formattedCount);
        }

        /// <summary>Appends literal text.</summary>
        public readonly void AppendLiteral(string value) => _format.Append(Escape(value));

        /// <summary>Appends a plain string value, known now.</summary>
        public readonly void AppendFormatted(string? value) => _format.Append(Escape(value ?? string.Empty));

        /// <summary>Appends a number, known now.</summary>
        public readonly void AppendFormatted(int value) => _format.Append(value.ToString(CultureInfo.InvariantCulture));

        /// <summary>Appends a late-evaluated value.</summary>
        public readonly void AppendFormatted<T>(T value)
            where T : IValueProvider, IManifestExpressionProvider
        {
            ArgumentNullException.ThrowIfNull(value);
            _format.Append('{').Append(_providers.Count.ToString(CultureInfo.InvariantCulture)).Append('}');
            _providers.Add(value);
            _manifest.Add(value.ValueExpression);
        }

        /// <summary>Appends the resource a builder holds (a parameter, for instance).</summary>
        public readonly void AppendFormatted<T>(IResourceBuilder<T> builder)
            where T : IResource, IValueProvider, IManifestExpressionProvider
        {
            ArgumentNullException.ThrowIfNull(builder);
            AppendFormatted(builder.Resource);
        }

        internal readonly ReferenceExpression Build() => new(_format.ToString(), [.. _providers], [.. _manifest]);
    }
}
