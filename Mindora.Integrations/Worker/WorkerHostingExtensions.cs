using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mindora.Integrations;
using Mindora.Integrations.Worker;

namespace Microsoft.Extensions.Hosting;

/// <summary>Adds the task worker to a host: <c>builder.AddMindoraWorker().AddHandler&lt;MyHandler&gt;()</c>.</summary>
public static class WorkerHostingExtensions
{
    private const string SectionName = "Mindora:Worker";

    // As many queues as one claim may name.
    private const int MaxQueues = 32;

    /// <summary>
    /// Runs registered task handlers in this host, taking tasks from the app's queues (needs
    /// <c>AddMindora</c> or <c>AddMindoraTasks</c>). Options from <c>Mindora:Worker</c>.
    /// </summary>
    public static MindoraWorkerBuilder AddMindoraWorker(this IHostApplicationBuilder builder, Action<MindoraWorkerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<MindoraWorkerOptions>();

        // One worker per host: a second call adds its handlers and options to the same worker
        // (a second registry would silently drop the handlers registered through the first).
        var registry = FindRegistry(builder.Services);
        if (registry is null)
        {
            registry = new TaskHandlerRegistry();
            builder.Services.TryAddSingleton(TimeProvider.System);
            builder.Services.AddSingleton(registry);
            builder.Services.AddSingleton<WorkerTelemetry>();
            options
                .Configure<IConfiguration>((o, configuration) => Bind(o, configuration.GetSection(SectionName)))
                .Validate(o => o.Concurrency is >= 1 and <= 256, "Mindora:Worker:Concurrency must be between 1 and 256.")
                .Validate(o => o.Queues.Count is > 0 and <= MaxQueues, $"Mindora:Worker:Queues must name 1 to {MaxQueues} queues.")
                .Validate(o => o.Queues.All(IsValidQueue), $"Mindora:Worker:Queues must hold valid queue names: {MindoraNames.LogicalNameRule}.")
                .Validate(o => o.LeaseDuration >= TimeSpan.FromSeconds(3), "Mindora:Worker:LeaseDuration must be at least 3 seconds.")
                .Validate(o => o.LeaseDuration <= TimeSpan.FromDays(1), "Mindora:Worker:LeaseDuration must be at most 1 day.")
                .Validate(o => o.DrainTimeout >= TimeSpan.Zero, "Mindora:Worker:DrainTimeout must not be negative.")
                .Validate(o => o.IdleWait > TimeSpan.Zero, "Mindora:Worker:IdleWait must be greater than 0.")
                .Validate(o => o.QueueDepthInterval >= TimeSpan.FromMilliseconds(100), "Mindora:Worker:QueueDepthInterval must be at least 0.1 seconds.")
                .Validate(o => o.WorkerId is null || IsValidWorkerId(o.WorkerId), "Mindora:Worker:WorkerId must be 1 to 200 characters without control characters.")
                .ValidateOnStart();
            builder.Services.AddHostedService<TaskWorkerService>();

            // The host must wait for the drain, or running tasks are cut off mid-way. Computed from
            // the same configuration and delegates as the worker's options, without validating:
            // a bad setting is reported once, at start, by the options validation.
            builder.Services.AddOptions<HostOptions>().Configure<IEnumerable<IConfigureOptions<MindoraWorkerOptions>>>((host, configures) =>
            {
                var drain = new MindoraWorkerOptions();
                try
                {
                    foreach (var configureWorker in configures)
                    {
                        configureWorker.Configure(drain);
                    }
                }
                catch (MindoraException)
                {
                    return;
                }

                var needed = drain.DrainTimeout + TimeSpan.FromSeconds(5);
                if (drain.DrainTimeout >= TimeSpan.Zero && host.ShutdownTimeout < needed)
                {
                    host.ShutdownTimeout = needed;
                }
            });
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        return new MindoraWorkerBuilder(builder, registry);
    }

    private static TaskHandlerRegistry? FindRegistry(IServiceCollection services) =>
        services.FirstOrDefault(d => d.ServiceType == typeof(TaskHandlerRegistry) && !d.IsKeyedService)?.ImplementationInstance as TaskHandlerRegistry;

    private static bool IsValidQueue(string queue)
    {
        try
        {
            MindoraNames.ValidateLogicalName(queue, "queue", "Mindora:Worker:Queues");
            return true;
        }
        catch (MindoraInvalidNameException)
        {
            return false;
        }
    }

    private static bool IsValidWorkerId(string workerId) =>
        workerId.Length is >= 1 and <= 200 && !MindoraArguments.ContainsControl(workerId);

    private static void Bind(MindoraWorkerOptions options, IConfigurationSection section)
    {
        // Queues come as a list or as "high,default,low" (the --queues form).
        if (section["Queues"] is { Length: > 0 } list)
        {
            options.Queues.Clear();
            foreach (var queue in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                options.Queues.Add(MindoraNames.ValidateLogicalName(queue, "queue", "Mindora:Worker:Queues"));
            }
        }
        else if (section.GetSection("Queues").GetChildren().Select(c => c.Value).OfType<string>().ToList() is { Count: > 0 } items)
        {
            options.Queues.Clear();
            foreach (var queue in items)
            {
                options.Queues.Add(MindoraNames.ValidateLogicalName(queue, "queue", "Mindora:Worker:Queues"));
            }
        }

        options.Concurrency = ReadInt(section, "Concurrency") ?? options.Concurrency;
        options.LeaseDuration = ReadSeconds(section, "LeaseDuration") ?? options.LeaseDuration;
        options.DrainTimeout = ReadSeconds(section, "DrainTimeout") ?? options.DrainTimeout;
        options.IdleWait = ReadSeconds(section, "IdleWait") ?? options.IdleWait;
        options.QueueDepthInterval = ReadSeconds(section, "QueueDepthInterval") ?? options.QueueDepthInterval;
        options.WorkerId = section["WorkerId"] ?? options.WorkerId;
    }

    private static int? ReadInt(IConfigurationSection section, string key) =>
        section[key] is not { Length: > 0 } text ? null
        : int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value
        : throw new MindoraConfigurationException($"Mindora:Worker:{key} '{text}' is not a whole number.");

    // Durations are given in seconds ("30") or as TimeSpan text ("00:00:30").
    private static TimeSpan? ReadSeconds(IConfigurationSection section, string key)
    {
        if (section[key] is not { Length: > 0 } text)
        {
            return null;
        }

        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var span)
            ? span
            : throw new MindoraConfigurationException($"Mindora:Worker:{key} '{text}' is not a number of seconds or a time span.");
    }
}

/// <summary>Registers handlers with the worker.</summary>
public sealed class MindoraWorkerBuilder
{
    private readonly TaskHandlerRegistry _registry;

    internal MindoraWorkerBuilder(IHostApplicationBuilder host, TaskHandlerRegistry registry)
    {
        Host = host;
        _registry = registry;
    }

    /// <summary>The host's services.</summary>
    public IServiceCollection Services => Host.Services;

    /// <summary>The host builder, for handlers that add capabilities of their own (configuration, connection strings).</summary>
    internal IHostApplicationBuilder Host { get; }

    /// <summary>Registers <typeparamref name="THandler"/> for task <paramref name="taskName"/>, resolved per task from a scope.</summary>
    public MindoraWorkerBuilder AddHandler<THandler>(string taskName)
        where THandler : class, ITaskHandler
    {
        _registry.Add(taskName, typeof(THandler));
        Services.TryAddScoped<THandler>();
        return this;
    }
}
