using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Mindora.Hosting.ApplicationModel;
using Mindora.Hosting.Dashboard;
using Mindora.Hosting.Runtimes;
using Mindora.Hosting.Runtimes.Containers;
using Mindora.Hosting.Runtimes.LocalServers;

namespace Mindora.Hosting;

/// <summary>
/// The running stack: starts every resource in dependency order, serves the dashboard, and on
/// Ctrl+C or SIGTERM stops everything so that no child process survives.
/// </summary>
public sealed partial class MindoraApplication : IAsyncDisposable
{
    private readonly MindoraApplicationBuilder _builder;
    private readonly SecretMasker _masker = new();
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lock _gate = new();
    private Orchestrator? _orchestrator;
    private DashboardServer? _dashboard;
    private ProcessReaper? _reaper;
    private HttpClient? _probeClient;
    private FileStream? _dataDirectoryLock;
    private string? _runDirectory;
    private Task? _stopTask;
    private Stopwatch? _startedAt;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal MindoraApplication(MindoraApplicationBuilder builder)
    {
        _builder = builder;
        Notifications = new ResourceNotificationService();
        Logs = new ResourceLoggerService(_masker, TimeProvider.System);
        _loggerFactory = LoggerFactory.Create(logging => logging
            .AddConfiguration(builder.Configuration.GetSection("Logging"))
            .AddConsole(console => console.FormatterName = AppHostConsoleFormatter.FormatterName)
            .AddConsoleFormatter<AppHostConsoleFormatter, ConsoleFormatterOptions>());
        _logger = _loggerFactory.CreateLogger("Mindora.AppHost");
        DashboardToken = Options.Unsecured ? null : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

        // Always generated (even --unsecured): it guards the apps' own admin endpoints, which
        // listen on their own ports. Masked wherever a log line could carry it.
        AdminToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        _masker.Add(AdminToken);
    }

    /// <summary>Creates the builder for an AppHost; call it from the AppHost's Program.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static MindoraApplicationBuilder CreateBuilder(string[] args)
    {
        var appHost = Assembly.GetCallingAssembly();
        if (appHost == Assembly.GetEntryAssembly())
        {
            StartupErrorReporter.InstallOnce();
        }

        return new(args ?? [], appHost);
    }

    /// <summary>How the AppHost runs.</summary>
    public MindoraHostOptions Options => _builder.Options;

    /// <summary>The declared resources.</summary>
    public IReadOnlyList<IResource> Resources => _builder.Resources;

    /// <summary>The state of every resource.</summary>
    public ResourceNotificationService Notifications { get; }

    /// <summary>The console logs of every resource.</summary>
    public ResourceLoggerService Logs { get; }

    /// <summary>The dashboard's address, once started.</summary>
    public Uri? DashboardUrl => _dashboard?.Url;

    /// <summary>The dashboard login token, or null with <c>--unsecured</c>.</summary>
    public string? DashboardToken { get; }

    /// <summary>
    /// The token this run gives every project and executable (<c>Mindora__Admin__Token</c>) for
    /// their admin endpoints (<c>/mindora/tasks</c>); the dashboard sends it when it calls them.
    /// Never shown: the dashboard's environment view masks it, logs mask it.
    /// </summary>
    internal string AdminToken { get; }

    /// <summary>Completes when <see cref="StartAsync"/> has finished; faults with its error.</summary>
    public Task Started => _started.Task;

    internal MindoraApplicationBuilder Builder => _builder;

    /// <summary>Completes when the application has been asked to stop (Ctrl+C, SIGTERM, <see cref="StopAsync"/>).</summary>
    public CancellationToken ShutdownRequested => _shutdown.Token;

    /// <summary>Runs until Ctrl+C or SIGTERM, then stops everything. Returns the process exit code.</summary>
    public int Run()
    {
        return RunAsync().GetAwaiter().GetResult();
    }

    /// <summary>Runs until Ctrl+C, SIGTERM or <paramref name="cancellationToken"/>, then stops everything.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        if (_builder.HelpRequested)
        {
            Console.WriteLine(AppHostCommandLine.Usage);
            return 0;
        }

        if (_builder.Verb == "provision")
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            await Publishing.ProvisionCommand.RunAsync(Resources, _builder.Configuration, [new PostgresProvisioner(), new RedisProvisioner(), new RabbitMQProvisioner(http)], _logger, cancellationToken).ConfigureAwait(false);
            _loggerFactory.Dispose(); // flushes the console before the process ends
            return 0;
        }

        if (_builder.Verb == "publish")
        {
            var published = await PublishAsync(cancellationToken).ConfigureAwait(false);
            _loggerFactory.Dispose(); // flushes the console before the process ends
            return published;
        }

        using var sigint = _builder.HandleSignals ? PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal) : null;
        using var sigterm = _builder.HandleSignals ? PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal) : null;
        using var registration = cancellationToken.Register(() => _shutdown.Cancel());
        try
        {
            await StartAsync(_shutdown.Token).ConfigureAwait(false);
            _ = ReportHealthyAsync(_shutdown.Token);
            await Task.Delay(Timeout.Infinite, _shutdown.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
            // Ctrl+C, SIGTERM or a stop request.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever went wrong, stop what did start before reporting.
            LogCannotStart(_logger, e.Message);
            await StopAsync().ConfigureAwait(false);
            return 1;
        }

        await StopAsync().ConfigureAwait(false);
        _loggerFactory.Dispose(); // flushes the console before the process ends
        return 0;
    }

    /// <summary>Writes the model for production: <c>--publisher manifest|compose --output-path DIR</c>.</summary>
    private async Task<int> PublishAsync(CancellationToken cancellationToken)
    {
        var publisher = _builder.Configuration["Mindora:Publish:Publisher"] ?? "manifest";
        var output = Path.GetFullPath(_builder.Configuration["Mindora:Publish:OutputPath"] ?? ".", Directory.GetCurrentDirectory());
        IReadOnlyList<string> written = publisher switch
        {
            "manifest" => [await Publishing.ManifestPublisher.PublishAsync(Resources, output, cancellationToken).ConfigureAwait(false)],
            "compose" => await new Publishing.ComposePublisher(Resources, output, RepositoryRoot(), AppHostProjectPath()).PublishAsync(cancellationToken).ConfigureAwait(false),
            _ => throw new MindoraHostingException($"--publisher '{publisher}' is not a publisher; allowed: manifest, compose."),
        };
        foreach (var file in written)
        {
            LogPublished(_logger, file);
        }

        return 0;
    }

    /// <summary>The repository the AppHost lives in (its build context): the nearest parent with .git or a solution.</summary>
    private string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(_builder.AppHostDirectory); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, ".git")) || directory.GetFiles("*.sln").Length > 0)
            {
                return directory.FullName;
            }
        }

        return Path.GetDirectoryName(_builder.AppHostDirectory) ?? _builder.AppHostDirectory;
    }

    private string AppHostProjectPath() =>
        Directory.GetFiles(_builder.AppHostDirectory, "*.csproj").FirstOrDefault()
        ?? throw new MindoraHostingException($"No project file in the AppHost's directory {_builder.AppHostDirectory}.");

    private void OnSignal(PosixSignalContext context)
    {
        // Handle it ourselves: stop children in order instead of the runtime's default exit.
        context.Cancel = true;
        if (!_shutdown.IsCancellationRequested)
        {
            LogStopping(_logger, context.Signal);
            _shutdown.Cancel();
        }
    }

    /// <summary>Starts the dashboard and every resource; returns without waiting for them to be healthy.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await StartCoreAsync(cancellationToken).ConfigureAwait(false);
            _started.TrySetResult();
        }
        catch (Exception e)
        {
            _started.TrySetException(e);
            throw;
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        LockDataDirectory();
        _reaper = ProcessReaper.Start();
        _probeClient = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) }) { Timeout = TimeSpan.FromSeconds(5) };
        var runId = $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{RandomNumberGenerator.GetHexString(4, lowercase: true)}";
        _runDirectory = Path.Combine(Options.DataDirectory, "runs", runId);
        Directory.CreateDirectory(_runDirectory);

        var ports = new PortAllocator();
        var context = new OrchestratorContext
        {
            Options = Options,
            Configuration = _builder.Configuration,
            Notifications = Notifications,
            Logs = Logs,
            Masker = _masker,
            Ports = ports,
            Reaper = _reaper,
            Projects = ProjectTargets.FromAssembly(_builder.AppHostAssembly),
            ProbeClient = _probeClient,
            Resources = Resources,
            Provisioners = [new PostgresProvisioner(), new RedisProvisioner(), new RabbitMQProvisioner(_probeClient)],
            Time = TimeProvider.System,
            Logger = _logger,
            RunDirectory = _runDirectory,
            RunId = runId,
            AdminToken = AdminToken,
        };

        IServerLauncher[] launchers =
        [
            new PostgresLauncher(_reaper, _probeClient),
            new RedisLauncher(_reaper, _probeClient, Path.Combine(Options.DataDirectory, "tools", "garnet"), _builder.Configuration["Mindora:Redis:Server"]),
            new RabbitMQLauncher(_reaper, ports, _probeClient),
            new QdrantLauncher(_reaper, ports, _probeClient, _builder.Configuration["Mindora:Qdrant:Binary"]),
            new MinioLauncher(_reaper, _probeClient, _builder.Configuration["Mindora:Minio:Binary"]),
            new ElasticsearchLauncher(_reaper, ports, _probeClient, Options.ElasticsearchHome, Options.ElasticsearchHeapMegabytes, SystemCommandRunner.Instance),
        ];
        var containers = new ContainerRuntime(_reaper, _probeClient, Environment.GetEnvironmentVariable("MINDORA_CONTAINER_RUNTIME"));
        _orchestrator = new Orchestrator(Resources, context, [containers, new ProcessRuntime(launchers), new EmbeddedRuntime()]);
        await _orchestrator.PrepareAsync(cancellationToken).ConfigureAwait(false);
        _dashboard = await DashboardServer.StartAsync(Options.DashboardUrl, DashboardToken, new Dashboard.AppTasksClient(Notifications, AdminToken), Notifications, Logs, ControlAsync, cancellationToken).ConfigureAwait(false);
        var dashboardAddress = DashboardToken is null ? _dashboard.Url.ToString() : $"{_dashboard.Url}login?t={DashboardToken}";
        LogDashboard(_logger, dashboardAddress);
        LogDataDirectory(_logger, Options.DataDirectory);

        _orchestrator.Start();
        LogStarted(_logger, Resources.Count, started.Elapsed.TotalSeconds);
        _startedAt = started;
    }

    /// <summary>Stops, starts or restarts one resource, as the dashboard's buttons do.</summary>
    public Task<ResourceActionResult> ControlAsync(string resourceName, ResourceAction action) =>
        (_orchestrator ?? throw new InvalidOperationException("The application has not been started.")).ControlAsync(resourceName, action);

    /// <summary>Completes when every resource is running and healthy.</summary>
    public Task WaitForAllHealthyAsync(CancellationToken cancellationToken = default) =>
        (_orchestrator ?? throw new InvalidOperationException("The application has not been started.")).WaitForAllHealthyAsync(cancellationToken);

    private async Task ReportHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WaitForAllHealthyAsync(cancellationToken).ConfigureAwait(false);
            LogAllHealthy(_logger, Resources.Count, _startedAt?.Elapsed.TotalSeconds ?? 0);
            foreach (var snapshot in Notifications.Snapshots.Where(s => s.Kind == "project"))
            {
                foreach (var endpoint in snapshot.Endpoints)
                {
                    LogEndpoint(_logger, snapshot.Name, endpoint.Name, endpoint.Url);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped before everything was healthy.
        }
    }

    /// <summary>Stops every resource (dependents first), the dashboard and the reaper. Safe to call twice.</summary>
    public Task StopAsync()
    {
        lock (_gate)
        {
            _stopTask ??= StopCoreAsync();
            return _stopTask;
        }
    }

    private async Task StopCoreAsync()
    {
        if (!_shutdown.IsCancellationRequested)
        {
            await _shutdown.CancelAsync().ConfigureAwait(false);
        }

        if (_orchestrator is not null)
        {
            await _orchestrator.StopAsync().ConfigureAwait(false);
        }

        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync().ConfigureAwait(false);
        }

        _reaper?.Dispose();
        _probeClient?.Dispose();
        DeleteRunDirectory();
        if (_dataDirectoryLock is not null)
        {
            await _dataDirectoryLock.DisposeAsync().ConfigureAwait(false);
        }

        LogStopped(_logger);
    }

    private void LockDataDirectory()
    {
        Directory.CreateDirectory(Options.DataDirectory);
        var lockPath = Path.Combine(Options.DataDirectory, "apphost.lock");
        try
        {
            _dataDirectoryLock = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new MindoraHostingException($"Another AppHost is using the data directory {Options.DataDirectory}; stop it or pass --data-dir.");
        }

        // Runs of AppHosts that were killed left their per-run data behind; nobody else holds the lock, so it is ours to remove.
        var runs = Path.Combine(Options.DataDirectory, "runs");
        if (Directory.Exists(runs))
        {
            foreach (var stale in Directory.GetDirectories(runs))
            {
                TryDelete(stale);
            }
        }
    }

    private void DeleteRunDirectory()
    {
        if (_runDirectory is not null)
        {
            TryDelete(_runDirectory);
        }
    }

    private void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogCannotDelete(_logger, directory, e.Message);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _loggerFactory.Dispose();
        _shutdown.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard: {Url}")]
    private static partial void LogDashboard(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data directory: {Directory}")]
    private static partial void LogDataDirectory(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Started {Count} resources in {Seconds:0.00} s; waiting for them to be healthy")]
    private static partial void LogStarted(ILogger logger, int count, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "All {Count} resources healthy after {Seconds:0.00} s")]
    private static partial void LogAllHealthy(ILogger logger, int count, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource} {Endpoint}: {Url}")]
    private static partial void LogEndpoint(ILogger logger, string resource, string endpoint, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Signal} received: stopping every resource")]
    private static partial void LogStopping(ILogger logger, PosixSignal signal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Cannot start: {Reason}")]
    private static partial void LogCannotStart(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete {Directory}: {Reason}")]
    private static partial void LogCannotDelete(ILogger logger, string directory, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Wrote {File}")]
    private static partial void LogPublished(ILogger logger, string file);
}
