using Mindora.Hosting.ApplicationModel;
using Mindora.Hosting.Runtimes;

namespace Mindora.Hosting;

/// <summary>
/// Starts the model: resolves parameters, places every backing service on a runtime, allocates
/// ports, then starts a supervisor per resource (each waits for what it depends on). Stops in
/// reverse dependency order: a resource stops only after everything that depends on it.
/// </summary>
internal sealed class Orchestrator
{
    private readonly IReadOnlyList<IResource> _resources;
    private readonly OrchestratorContext _context;
    private readonly RuntimeSelector _selector;
    private readonly Dictionary<IResource, ResourceSupervisor> _supervisors = new(ReferenceEqualityComparer.Instance);
    private Dictionary<ServiceResource, IServiceRuntime>? _runtimes;

    public Orchestrator(IReadOnlyList<IResource> resources, OrchestratorContext context, IReadOnlyList<IServiceRuntime> runtimes)
    {
        _resources = resources;
        _context = context;
        _selector = new RuntimeSelector(runtimes);
        foreach (var resource in resources)
        {
            context.Notifications.Add(new ResourceSnapshot
            {
                Name = resource.Name,
                Kind = resource.Kind,
                State = ResourceState.NotStarted,
                WaitsFor = ModelValidator.DependenciesOf(resource).Select(d => d.Name).Distinct().ToList(),
                Parent = (resource as IResourceWithParent)?.Parent.Name,
            });
        }
    }

    /// <summary>Resolves parameters, places services and allocates ports; fails before anything runs.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        new ParameterResolver(_context.Configuration, _context.Options.DataDirectory, _context.Masker)
            .ResolveAll(_resources.OfType<ParameterResource>());

        var runtimes = new Dictionary<ServiceResource, IServiceRuntime>(ReferenceEqualityComparer.Instance);
        foreach (var service in _resources.OfType<ServiceResource>())
        {
            var (runtime, reason) = await _selector.SelectAsync(service, _context.Options.RuntimeFor(service), _context.Options.Strict, cancellationToken).ConfigureAwait(false);
            service.Placement = new RuntimePlacement(runtime.Kind, reason, DataDirectoryOf(service));
            runtimes[service] = runtime;
            _context.Notifications.Update(service.Name, s => s with { Runtime = runtime.Kind, RuntimeReason = reason });
        }

        AllocateEndpoints();
        _runtimes = runtimes;
    }

    /// <summary>Starts a supervisor per resource; each waits for its dependencies on its own.</summary>
    public void Start()
    {
        var runtimes = _runtimes ?? throw new InvalidOperationException("PrepareAsync must run first.");
        foreach (var resource in _resources)
        {
            _supervisors[resource] = resource switch
            {
                ParameterResource parameter => new ParameterSupervisor(parameter, _context),
                ServiceResource service => new ServiceSupervisor(service, runtimes[service], _context),
                PostgresDatabaseResource database => new DatabaseSupervisor(database, _context),
                ProjectResource project => new ProjectSupervisor(project, _context),
                ExecutableResource executable => new ExecutableSupervisor(executable, _context),
                _ => throw new MindoraHostingException($"Resource '{resource.Name}' of kind {resource.Kind} cannot be run by this AppHost."),
            };
        }

        foreach (var supervisor in _supervisors.Values)
        {
            supervisor.Start();
        }
    }

    private string DataDirectoryOf(ServiceResource service) =>
        service.LastAnnotationOf<DataVolumeAnnotation>() is { } volume
            ? Path.Combine(_context.Options.DataDirectory, "volumes", volume.Name ?? service.Name)
            : Path.Combine(_context.RunDirectory, service.Name);

    private void AllocateEndpoints()
    {
        foreach (var resource in _resources)
        {
            if (resource is ServiceResource { Placement.Kind: RuntimeKind.Embedded })
            {
                continue;
            }

            foreach (var endpoint in resource.AnnotationsOf<EndpointAnnotation>())
            {
                int port;
                if (endpoint.Port is { } fixedPort && !_context.Options.RandomizePorts)
                {
                    port = _context.Ports.TryReserve(fixedPort)
                        ? fixedPort
                        : throw new ModelValidationException(resource.Name, $"endpoint '{endpoint.Name}' asks for port {fixedPort}, which is already taken.");
                }
                else
                {
                    port = _context.Ports.AllocateFree();
                }

                var scheme = endpoint.Scheme is "http" or "https" ? endpoint.Scheme : "tcp";
                endpoint.Allocated = new AllocatedEndpoint(scheme, "127.0.0.1", port);
            }
        }
    }

    /// <summary>Stops, starts or restarts one resource (a dashboard action).</summary>
    public async Task<ResourceActionResult> ControlAsync(string name, ResourceAction action)
    {
        var supervisor = _supervisors.Values.FirstOrDefault(s => s.Resource.Name == name);
        if (supervisor is null)
        {
            return ResourceActionResult.NotFound;
        }

        if (!supervisor.CanBeControlled)
        {
            return ResourceActionResult.NotControllable;
        }

        switch (action)
        {
            case ResourceAction.Stop:
                await supervisor.StopAsync().ConfigureAwait(false);
                return ResourceActionResult.Done;
            case ResourceAction.Start:
                return await supervisor.StartAgainAsync().ConfigureAwait(false) ? ResourceActionResult.Done : ResourceActionResult.AlreadyRunning;
            default:
                await supervisor.RestartAsync().ConfigureAwait(false);
                return ResourceActionResult.Done;
        }
    }

    /// <summary>Completes when every resource is running and healthy.</summary>
    public Task WaitForAllHealthyAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_resources.Select(r => _context.Notifications.WaitForHealthyAsync(r.Name, cancellationToken)));

    /// <summary>Stops every resource after all resources that depend on it.</summary>
    public async Task StopAsync()
    {
        var dependents = new Dictionary<IResource, List<IResource>>(ReferenceEqualityComparer.Instance);
        foreach (var resource in _resources)
        {
            dependents[resource] = _resources.Where(other => ModelValidator.DependenciesOf(other).Contains(resource) || StopsFirst(other, resource)).ToList();
        }

        var stops = new Dictionary<IResource, Task>(ReferenceEqualityComparer.Instance);

        var visiting = new HashSet<IResource>(ReferenceEqualityComparer.Instance);

        Task Stop(IResource resource)
        {
            if (stops.TryGetValue(resource, out var task))
            {
                return task;
            }

            // An odd model (a service waiting for an app) could make the order circular; break it.
            if (!visiting.Add(resource))
            {
                return Task.CompletedTask;
            }

            task = StopAfter(resource, dependents[resource].Select(Stop).ToList());
            stops[resource] = task;
            return task;
        }

        await Task.WhenAll(_resources.Select(Stop)).ConfigureAwait(false);
        foreach (var supervisor in _supervisors.Values)
        {
            supervisor.Dispose();
        }
    }

    // Apps stop before the services they may use, even without a WaitFor, so they can drain
    // their work; the wait graph is acyclic and projects never gain services as dependents.
    private static bool StopsFirst(IResource resource, IResource other) =>
        resource is IResourceWithEnvironment and not ServiceResource && other is ServiceResource or PostgresDatabaseResource;

    private async Task StopAfter(IResource resource, List<Task> dependentsStopped)
    {
        await Task.WhenAll(dependentsStopped).ConfigureAwait(false);
        if (_supervisors.TryGetValue(resource, out var supervisor))
        {
            await supervisor.StopAsync().ConfigureAwait(false);
        }
    }
}
