using System.Globalization;

namespace Mindora.Integrations.Tasks;

/// <summary>
/// A five-field cron expression (minute hour day-of-month month day-of-week), evaluated in UTC.
/// Each field takes <c>*</c>, numbers, ranges <c>a-b</c>, lists <c>a,b</c> and steps <c>*/n</c>
/// or <c>a-b/n</c>; months also take JAN…DEC and days SUN…SAT (0 and 7 are Sunday). As in Vixie
/// cron, when both day fields are restricted a day matching either one is due.
/// </summary>
internal sealed class CronSchedule
{
    private const string Rule =
        "five fields 'minute hour day-of-month month day-of-week' with *, numbers, ranges a-b, lists a,b and steps */n (e.g. '*/15 * * * *' or '0 3 * * MON-FRI')";

    private static readonly string[] Months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] Days = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    // Far enough for any satisfiable expression (Feb 29 comes within 8 years).
    private static readonly TimeSpan Horizon = TimeSpan.FromDays(366 * 9);

    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _daysOfMonth;
    private readonly bool[] _months;
    private readonly bool[] _daysOfWeek;
    private readonly bool _anyDayOfMonth;
    private readonly bool _anyDayOfWeek;

    private CronSchedule(string expression, string[] fields)
    {
        Expression = expression;
        _minutes = Field(fields[0], 0, 59, null, expression);
        _hours = Field(fields[1], 0, 23, null, expression);
        _daysOfMonth = Field(fields[2], 1, 31, null, expression);
        _months = Field(fields[3], 1, 12, Months, expression);
        var days = Field(fields[4], 0, 7, Days, expression);
        days[0] |= days[7];
        _daysOfWeek = days[..7];
        _anyDayOfMonth = fields[2] == "*";
        _anyDayOfWeek = fields[4] == "*";
    }

    /// <summary>The expression as given (trimmed).</summary>
    public string Expression { get; }

    /// <exception cref="MindoraValidationException">The expression is malformed or never due.</exception>
    public static CronSchedule Parse(string? expression, string parameterName = "cron")
    {
        var text = expression?.Trim() ?? string.Empty;
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length != 5 || text.Length > 200)
        {
            throw Invalid(text, parameterName);
        }

        CronSchedule schedule;
        try
        {
            schedule = new CronSchedule(text, fields);
        }
        catch (FormatException)
        {
            throw Invalid(text, parameterName);
        }

        if (schedule.NextAfter(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)) is null)
        {
            throw new MindoraValidationException(parameterName, $"The cron expression '{text}' is never due (no such date).");
        }

        return schedule;
    }

    /// <summary>The first due minute strictly after <paramref name="after"/>, or null when none comes within nine years.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        var utc = after.ToUniversalTime();
        var t = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero).AddMinutes(1);
        var end = utc + Horizon;
        while (t <= end)
        {
            if (!_months[t.Month])
            {
                t = new DateTimeOffset(t.Year, t.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
            }
            else if (!DayMatches(t))
            {
                t = new DateTimeOffset(t.Year, t.Month, t.Day, 0, 0, 0, TimeSpan.Zero).AddDays(1);
            }
            else if (!_hours[t.Hour])
            {
                t = new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
            }
            else if (!_minutes[t.Minute])
            {
                t = t.AddMinutes(1);
            }
            else
            {
                return t;
            }
        }

        return null;
    }

    public override string ToString() => Expression;

    private bool DayMatches(DateTimeOffset t)
    {
        var dom = _daysOfMonth[t.Day];
        var dow = _daysOfWeek[(int)t.DayOfWeek];
        return (_anyDayOfMonth, _anyDayOfWeek) switch
        {
            (true, true) => true,
            (false, true) => dom,
            (true, false) => dow,
            _ => dom || dow,
        };
    }

    private static bool[] Field(string field, int min, int max, string[]? names, string expression)
    {
        var allowed = new bool[max + 1];
        foreach (var part in field.Split(','))
        {
            var (range, step) = part.Split('/') switch
            {
                [var r] => (r, 1),
                [var r, var s] => (r, Number(s, 1, max - min + 1, null, 0)),
                _ => throw new FormatException(expression),
            };
            int from, to;
            if (range == "*")
            {
                (from, to) = (min, max);
            }
            else if (range.Split('-') is [var a, var b])
            {
                (from, to) = (Number(a, min, max, names, min), Number(b, min, max, names, min));
            }
            else
            {
                from = Number(range, min, max, names, min);

                // "5/15" means from 5 to the end in steps of 15, as in Vixie cron.
                to = part.Contains('/', StringComparison.Ordinal) ? max : from;
            }

            if (from > to)
            {
                throw new FormatException(expression);
            }

            for (var v = from; v <= to; v += step)
            {
                allowed[v] = true;
            }
        }

        return allowed;
    }

    private static int Number(string text, int min, int max, string[]? names, int firstName)
    {
        if (names is not null && Array.FindIndex(names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase)) is var index and >= 0)
        {
            return index + (firstName == 0 ? 0 : 1);
        }

        return text.Length is > 0 and <= 2 && text.All(char.IsAsciiDigit)
            && int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) is var value && value >= min && value <= max
            ? value
            : throw new FormatException(text);
    }

    private static MindoraValidationException Invalid(string text, string parameterName) =>
        new(parameterName, $"Invalid cron expression '{text}': allowed is {Rule}.");
}
