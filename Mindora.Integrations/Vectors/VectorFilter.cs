using System.Text.Json.Nodes;

namespace Mindora.Integrations.Vectors;

/// <summary>
/// A condition on payloads, as in Qdrant: <see cref="Match(string, string)"/> compares a field with
/// a value (an array field matches when any element does), <see cref="Range"/> bounds a number,
/// <see cref="Bool"/> combines them (all of must, at least one of should when given, none of
/// must_not). Keys are payload field names; nested fields use dots (<c>meta.lang</c>).
/// </summary>
public abstract record VectorFilter
{
    private protected VectorFilter()
    {
    }

    /// <summary>The field equals a string.</summary>
    public static VectorFilter Match(string key, string value) => new VectorMatch(key, JsonValue.Create(value));

    /// <summary>The field equals an integer.</summary>
    public static VectorFilter Match(string key, long value) => new VectorMatch(key, JsonValue.Create(value));

    /// <summary>The field equals a boolean.</summary>
    public static VectorFilter Match(string key, bool value) => new VectorMatch(key, JsonValue.Create(value));

    /// <summary>The field is a number within the bounds given (null bounds are open).</summary>
    public static VectorFilter Range(string key, double? gt = null, double? gte = null, double? lt = null, double? lte = null) =>
        new VectorRange(key, gt, gte, lt, lte);

    /// <summary>All of <paramref name="must"/>, at least one of <paramref name="should"/> (when any), none of <paramref name="mustNot"/>.</summary>
    public static VectorFilter Bool(IReadOnlyList<VectorFilter>? must = null, IReadOnlyList<VectorFilter>? should = null, IReadOnlyList<VectorFilter>? mustNot = null) =>
        new VectorBool(must ?? [], should ?? [], mustNot ?? []);
}

/// <summary>A field equals a keyword, integer or boolean.</summary>
/// <param name="Key">The payload field.</param>
/// <param name="Value">The value.</param>
public sealed record VectorMatch(string Key, JsonValue Value) : VectorFilter;

/// <summary>A numeric field within bounds.</summary>
/// <param name="Key">The payload field.</param>
/// <param name="Gt">Greater than.</param>
/// <param name="Gte">Greater than or equal.</param>
/// <param name="Lt">Less than.</param>
/// <param name="Lte">Less than or equal.</param>
public sealed record VectorRange(string Key, double? Gt, double? Gte, double? Lt, double? Lte) : VectorFilter;

/// <summary>A combination of conditions.</summary>
/// <param name="Must">All must hold.</param>
/// <param name="Should">At least one must hold (ignored when empty).</param>
/// <param name="MustNot">None may hold.</param>
public sealed record VectorBool(IReadOnlyList<VectorFilter> Must, IReadOnlyList<VectorFilter> Should, IReadOnlyList<VectorFilter> MustNot) : VectorFilter;
