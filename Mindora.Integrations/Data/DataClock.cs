namespace Mindora.Integrations.Data;

/// <summary>Timestamps as the database keeps them.</summary>
internal static class DataClock
{
    /// <summary>Now in UTC, cut to whole microseconds: PostgreSQL keeps no more, so values read back equal.</summary>
    public static DateTimeOffset Now(TimeProvider time)
    {
        var ticks = time.GetUtcNow().UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }
}
