using Mindora.Integrations.Tasks;

namespace Mindora.Integrations.Tests.Tasks;

public sealed class CronScheduleTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 30, TimeSpan.Zero);

    [Theory]
    [InlineData("* * * * *", "2030-01-01T12:01:00")]
    [InlineData("*/15 * * * *", "2030-01-01T12:15:00")]
    [InlineData("5/20 * * * *", "2030-01-01T12:05:00")]
    [InlineData("0 3 * * *", "2030-01-02T03:00:00")]
    [InlineData("30 9 1 * *", "2030-02-01T09:30:00")]
    [InlineData("0 0 * FEB *", "2030-02-01T00:00:00")]
    [InlineData("0 8 * * MON-FRI", "2030-01-02T08:00:00")]
    [InlineData("0 8 * * 0", "2030-01-06T08:00:00")]
    [InlineData("0 8 * * 7", "2030-01-06T08:00:00")]
    [InlineData("0 0 29 2 *", "2032-02-29T00:00:00")]
    [InlineData("0 12,18 * * *", "2030-01-01T18:00:00")]
    [InlineData("10-12 13 * * *", "2030-01-01T13:10:00")]
    public void Next_due_minute_follows_the_expression(string cron, string expected)
    {
        var next = CronSchedule.Parse(cron).NextAfter(Start);

        Assert.Equal(DateTimeOffset.Parse(expected + "Z", System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public void Restricted_day_of_month_and_day_of_week_match_either_one()
    {
        // 2030-01-01 is a Tuesday: the 15th or any Friday, whichever comes first.
        var schedule = CronSchedule.Parse("0 0 15 * FRI");

        Assert.Equal(new DateTimeOffset(2030, 1, 4, 0, 0, 0, TimeSpan.Zero), schedule.NextAfter(Start));
        Assert.Equal(new DateTimeOffset(2030, 1, 15, 0, 0, 0, TimeSpan.Zero), schedule.NextAfter(new DateTimeOffset(2030, 1, 11, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Due_times_are_strictly_after_the_given_time()
    {
        var schedule = CronSchedule.Parse("0 * * * *");

        Assert.Equal(new DateTimeOffset(2030, 1, 1, 13, 0, 0, TimeSpan.Zero), schedule.NextAfter(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("* * * *")]
    [InlineData("* * * * * *")]
    [InlineData("60 * * * *")]
    [InlineData("* 24 * * *")]
    [InlineData("* * 0 * *")]
    [InlineData("* * * 13 *")]
    [InlineData("* * * * 8")]
    [InlineData("*/0 * * * *")]
    [InlineData("5-1 * * * *")]
    [InlineData("a * * * *")]
    [InlineData("1,,2 * * * *")]
    [InlineData("-1 * * * *")]
    [InlineData("0 0 30 2 *")]
    [InlineData("0 0 31 4 *")]
    public void Malformed_or_never_due_expressions_are_rejected(string cron)
    {
        var e = Assert.Throws<MindoraValidationException>(() => CronSchedule.Parse(cron));

        Assert.Contains("cron", e.Message, StringComparison.OrdinalIgnoreCase);
    }
}
