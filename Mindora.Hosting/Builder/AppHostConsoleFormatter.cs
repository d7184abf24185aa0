using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Mindora.Hosting;

/// <summary>
/// The AppHost's console lines: time, a level marker only when something is wrong, the message.
/// (The standard formatters print category names and event ids, which mean nothing to a user here.)
/// </summary>
internal sealed class AppHostConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "mindora";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        var level = logEntry.LogLevel switch
        {
            LogLevel.Warning => "warning: ",
            LogLevel.Error => "error: ",
            LogLevel.Critical => "error: ",
            _ => string.Empty,
        };
        textWriter.WriteLine($"{DateTime.Now:HH:mm:ss} {level}{message}");
    }
}
