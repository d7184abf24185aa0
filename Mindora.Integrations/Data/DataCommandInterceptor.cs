using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Mindora.Integrations.Data;

/// <summary>
/// One client span per database command on <c>Mindora.Data</c>, with <c>db.system</c> and the
/// statement text: values travel as parameters (placeholders in the text), and the literals EF
/// Core writes inline are masked (<see cref="SqlSanitizer"/>). Spans are started only when
/// someone listens; durations are always measured.
/// </summary>
/// <param name="telemetry">The host's Data telemetry.</param>
/// <param name="system">The <c>db.system</c> of the context's provider.</param>
internal sealed class DataCommandInterceptor(DataTelemetry telemetry, string system) : DbCommandInterceptor
{
    private readonly ConcurrentDictionary<Guid, Activity> _running = new();

    public DataTelemetry Telemetry => telemetry;

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Start(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Start(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Start(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Start(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Start(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Start(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Stop(eventData, eventData.Duration, null, canceled: false);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Stop(eventData, eventData.Duration, null, canceled: false);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Stop(eventData, eventData.Duration, null, canceled: false);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Stop(eventData, eventData.Duration, null, canceled: false);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Stop(eventData, eventData.Duration, null, canceled: false);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Stop(eventData, eventData.Duration, null, canceled: false);
        return ValueTask.FromResult(result);
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) =>
        Stop(eventData, eventData.Duration, eventData.Exception, canceled: false);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Stop(eventData, eventData.Duration, eventData.Exception, canceled: false);
        return Task.CompletedTask;
    }

    public override void CommandCanceled(DbCommand command, CommandEndEventData eventData) =>
        Stop(eventData, eventData.Duration, null, canceled: true);

    public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Stop(eventData, eventData.Duration, null, canceled: true);
        return Task.CompletedTask;
    }

    private void Start(DbCommand command, CommandEventData eventData)
    {
        var source = telemetry.Instrumentation.ActivitySource;
        if (!source.HasListeners())
        {
            return;
        }

        var operation = DataStatements.Operation(command.CommandText);
        var database = command.Connection?.Database;
        var activity = source.StartActivity(string.IsNullOrEmpty(database) ? operation : $"{operation} {database}", ActivityKind.Client);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("db.system", system);
        activity.SetTag("db.name", database);
        activity.SetTag("db.operation", operation);
        activity.SetTag("db.statement", SqlSanitizer.Sanitize(command.CommandText));
        activity.SetTag(MindoraInstrumentation.AppTag, telemetry.App);
        if (command.Connection?.DataSource is { Length: > 0 } server && system == DataProviders.PostgreSqlSystem)
        {
            activity.SetTag("server.address", server);
        }

        _running[eventData.CommandId] = activity;
    }

    private void Stop(CommandEndEventData eventData, TimeSpan duration, Exception? error, bool canceled)
    {
        var outcome = canceled ? "canceled" : error is null ? "success" : "error";
        telemetry.CommandDuration.Record(
            duration.TotalSeconds,
            new KeyValuePair<string, object?>("db.system", system),
            new KeyValuePair<string, object?>(MindoraInstrumentation.OutcomeTag, outcome));

        if (!_running.TryRemove(eventData.CommandId, out var activity))
        {
            return;
        }

        activity.SetTag(MindoraInstrumentation.OutcomeTag, outcome);
        if (error is not null)
        {
            activity.SetTag("error.type", error.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error);
        }

        activity.Dispose();
    }
}
