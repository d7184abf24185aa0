using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mindora.Integrations.Tasks;

namespace Mindora.Integrations.Tests.Support;

/// <summary>
/// Real hosts for worker tests: <c>Host.CreateApplicationBuilder</c> without the default sources
/// (so the machine's environment cannot leak in), every capability embedded in one directory,
/// fast retry and poll settings (tests wait for outcomes, not for defaults) and captured logs.
/// </summary>
internal static class WorkerHosts
{
    public const string App = "docs";

    /// <summary>A builder with AddMindora(<see cref="App"/>) over <paramref name="directory"/>; <paramref name="settings"/> win over the defaults.</summary>
    public static HostApplicationBuilder CreateBuilder(string directory, params (string Key, string Value)[] settings) =>
        CreateBuilder(directory, App, null, settings);

    /// <summary>
    /// A builder with AddMindora(<paramref name="app"/>) over <paramref name="directory"/> (the
    /// documents database too, as <c>db-{app}.sqlite</c>, unless <paramref name="settings"/>
    /// name another); <paramref name="mindora"/> changes which connection feeds which capability.
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(string directory, string app, Action<MindoraOptions>? mindora, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        var connection = MindoraConnectionString.ForEmbedded(directory);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:files"] = connection,
            ["ConnectionStrings:redis"] = connection,
            ["ConnectionStrings:elasticsearch"] = connection,
            ["ConnectionStrings:qdrant"] = connection,
            ["ConnectionStrings:db"] = connection,
            ["Mindora:Tasks:BaseRetryDelay"] = "00:00:00.050",
            ["Mindora:Tasks:MaxRetryDelay"] = "00:00:00.200",
            ["Mindora:Tasks:PollInterval"] = "00:00:00.050",
            ["Mindora:Worker:Concurrency"] = "2",
            ["Mindora:Worker:IdleWait"] = "0.5",
            ["Mindora:Worker:DrainTimeout"] = "5",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(values);
        builder.Logging.AddProvider(new CapturedLogs());
        builder.AddMindora(app, mindora);
        return builder;
    }

    /// <summary>Builds and starts the host; dispose the result to stop it.</summary>
    public static async Task<RunningHost> StartAsync(this HostApplicationBuilder builder)
    {
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new RunningHost(host);
    }

    /// <summary>Waits until the task has finished (succeeded, failed or canceled) or <paramref name="until"/> holds.</summary>
    public static Task<TaskInfo> WaitForTaskAsync(this ITaskQueue tasks, string taskId, Func<TaskInfo, bool>? until = null, TimeSpan? timeout = null) =>
        Poll.UntilAsync(
            async () => await tasks.GetAsync(taskId) ?? throw new InvalidOperationException($"Task {taskId} does not exist."),
            until ?? IsFinished,
            $"task {taskId}",
            timeout);

    public static bool IsFinished(TaskInfo task) =>
        task.Status is MindoraTaskStatus.Succeeded or MindoraTaskStatus.Failed or MindoraTaskStatus.Canceled;
}

/// <summary>A started host; disposing it stops it (the worker drains) and releases it.</summary>
internal sealed class RunningHost(IHost host) : IAsyncDisposable
{
    private int _stopped;

    public IServiceProvider Services => host.Services;

    public ITaskQueue Tasks => host.Services.GetRequiredService<ITaskQueue>();

    public CapturedLogs Logs => host.Services.GetServices<ILoggerProvider>().OfType<CapturedLogs>().Single();

    public T Get<T>()
        where T : notnull => host.Services.GetRequiredService<T>();

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await host.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            host.Dispose();
        }
    }
}

/// <summary>Keeps every log message of a host, so tests can wait for what the worker says.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyCollection<string> Messages => _messages;

    public bool Contains(string text) => _messages.Any(m => m.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                logs._messages.Enqueue(formatter(state, exception));
            }
        }
    }
}

/// <summary>Polls a condition until it holds or a deadline passes (instead of fixed sleeps).</summary>
internal static class Poll
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (Stopwatch.GetElapsedTime(started) > limit)
            {
                throw new TimeoutException($"Gave up waiting for {what} after {limit.TotalSeconds} s; last seen: {value}");
            }

            await Task.Delay(25);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), done => done, what, timeout);
}
