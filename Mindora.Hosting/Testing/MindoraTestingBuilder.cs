using System.Diagnostics;
using System.Reflection;

namespace Mindora.Hosting.Testing;

/// <summary>
/// Starts a real AppHost's stack inside a test (the role of Aspire.Hosting.Testing): runs the
/// AppHost's own entry point, so the model under test is exactly the one users run, with the
/// data directory, ports and dashboard moved out of the way.
/// </summary>
public static class MindoraTestingBuilder
{
    private const string MarkerPrefix = "--mindora-testing-id=";

    /// <summary>
    /// Runs the entry point of <typeparamref name="TEntryPoint"/>'s assembly (the AppHost) and
    /// returns once its resources were started (not necessarily healthy).
    /// </summary>
    /// <param name="args">Extra AppHost arguments, e.g. <c>--runtime embedded</c>.</param>
    /// <param name="configure">Changes to the builder before the model is built (options, configuration).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<MindoraTestingApplication> StartAsync<TEntryPoint>(
        string[]? args = null,
        Action<MindoraApplicationBuilder>? configure = null,
        CancellationToken cancellationToken = default)
    {
        var entryPoint = typeof(TEntryPoint).Assembly.EntryPoint
            ?? throw new InvalidOperationException($"{typeof(TEntryPoint).Assembly.GetName().Name} has no entry point; pass a type from the AppHost project.");
        var marker = MarkerPrefix + Guid.NewGuid().ToString("N");
        var dataDirectory = Path.Combine(Path.GetTempPath(), "mindora-tests", Guid.NewGuid().ToString("N")[..12]);
        var built = new TaskCompletionSource<MindoraApplication>(TaskCreationOptions.RunContinuationsAsynchronously);

        using var observer = new ListenerObserver(marker, builder =>
        {
            builder.Options.DataDirectory = dataDirectory;
            builder.Options.RandomizePorts = true;
            builder.Options.DashboardUrl = new Uri("http://127.0.0.1:0");
            builder.Options.ShutdownTimeout = TimeSpan.FromSeconds(5);
            builder.HandleSignals = false;
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
            configure?.Invoke(builder);
        }, built);
        using var subscription = DiagnosticListener.AllListeners.Subscribe(observer);

        string[] fullArgs = [.. args ?? [], marker];
        var run = Task.Run(async () =>
        {
            var result = entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? [] : [fullArgs]);
            if (result is Task task)
            {
                await task.ConfigureAwait(false);
            }
        }, CancellationToken.None);

        // The entry point may end before building (an invalid model throws): surface that error.
        var first = await Task.WhenAny(built.Task, run).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (first == run)
        {
            await run.ConfigureAwait(false);
            throw new InvalidOperationException("The AppHost's entry point returned without building an application.");
        }

        var application = await built.Task.ConfigureAwait(false);
        var testing = new MindoraTestingApplication(application, run, dataDirectory);
        try
        {
            await Task.WhenAny(application.Started, run).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (run.IsFaulted)
            {
                await run.ConfigureAwait(false);
            }

            await application.Started.ConfigureAwait(false);
        }
        catch
        {
            await testing.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return testing;
    }

    private sealed class ListenerObserver(string marker, Action<MindoraApplicationBuilder> configure, TaskCompletionSource<MindoraApplication> built)
        : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly List<IDisposable> _subscriptions = [];

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Mindora.Hosting")
            {
                lock (_subscriptions)
                {
                    _subscriptions.Add(value.Subscribe(this));
                }
            }
        }

        public void Dispose()
        {
            lock (_subscriptions)
            {
                _subscriptions.ForEach(s => s.Dispose());
                _subscriptions.Clear();
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            switch (value.Value)
            {
                case MindoraApplicationBuilder builder when value.Key == MindoraApplicationBuilder.BuilderCreatedEvent && builder.Args.Contains(marker):
                    configure(builder);
                    break;
                case MindoraApplication application when value.Key == MindoraApplicationBuilder.ApplicationBuiltEvent && application.Builder.Args.Contains(marker):
                    built.TrySetResult(application);
                    break;
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
