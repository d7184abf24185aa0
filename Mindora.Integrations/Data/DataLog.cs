using Microsoft.Extensions.Logging;

namespace Mindora.Integrations.Data;

/// <summary>The Data capability's log messages.</summary>
internal static partial class DataLog
{
    [LoggerMessage(1, LogLevel.Information, "Applied {Count} migration(s) to {Context} ({Provider}, {Target}): {Migrations}")]
    public static partial void MigrationsApplied(ILogger logger, int count, string context, MindoraDataProvider provider, string target, string migrations);

    [LoggerMessage(2, LogLevel.Information, "{Context} ({Provider}, {Target}) is up to date")]
    public static partial void MigrationsUpToDate(ILogger logger, string context, MindoraDataProvider provider, string target);

    [LoggerMessage(3, LogLevel.Warning, "{Context} has {Count} pending migration(s) that were not applied because Mindora:Data:MigrateOnStart is off: {Migrations}")]
    public static partial void MigrationsSkipped(ILogger logger, string context, int count, string migrations);
}
