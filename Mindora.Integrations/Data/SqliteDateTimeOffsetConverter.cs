using System.Globalization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Mindora.Integrations.Data;

/// <summary>
/// Stores a <see cref="DateTimeOffset"/> in SQLite as fixed-width UTC text, so ordering and
/// comparisons (which EF Core's SQLite provider refuses for <see cref="DateTimeOffset"/>) work
/// in SQL, in the same order as on PostgreSQL.
/// </summary>
internal sealed class SqliteDateTimeOffsetConverter : ValueConverter<DateTimeOffset, string>
{
    private const string Format = "yyyy'-'MM'-'dd' 'HH':'mm':'ss'.'fffffff";

    public SqliteDateTimeOffsetConverter()
        : base(v => ToText(v), v => FromText(v))
    {
    }

    public static string ToText(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset FromText(string value) =>
        new(DateTime.SpecifyKind(DateTime.ParseExact(value, Format, CultureInfo.InvariantCulture), DateTimeKind.Utc));
}
