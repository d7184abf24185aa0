using System.Text.RegularExpressions;
using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting;

/// <summary>
/// Rejects an invalid model before anything starts, naming the resource: bad or duplicate names,
/// waits on resources outside the model, cycles, duplicate endpoints, fixed ports already taken,
/// missing project files.
/// </summary>
internal static partial class ModelValidator
{
    public const string NameRule = "1 to 64 characters: letters, digits and single hyphens, starting with a letter and not ending with a hyphen";

    public static void Validate(IReadOnlyList<IResource> resources, MindoraHostOptions options, bool checkPorts)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var resource in resources)
        {
            if (!NameRegex().IsMatch(resource.Name) || resource.Name.Contains("--", StringComparison.Ordinal))
            {
                throw new ModelValidationException(resource.Name, $"the name is invalid; allowed: {NameRule}.");
            }

            if (!names.Add(resource.Name))
            {
                throw new ModelValidationException(resource.Name, "another resource already has this name (names are compared without case).");
            }
        }

        var inModel = new HashSet<IResource>(resources, ReferenceEqualityComparer.Instance);
        foreach (var resource in resources)
        {
            ValidateReferences(resource, inModel);
            ValidateEndpoints(resource);
            if (checkPorts && resource is ProjectResource project && !File.Exists(project.ProjectPath))
            {
                throw new ModelValidationException(resource.Name, $"the project file {project.ProjectPath} does not exist.");
            }
        }

        ValidateNoCycles(resources);
        ValidateFixedPorts(resources, options, checkPorts);
    }

    private static void ValidateReferences(IResource resource, HashSet<IResource> inModel)
    {
        foreach (var wait in resource.AnnotationsOf<WaitAnnotation>())
        {
            if (ReferenceEquals(wait.Target, resource))
            {
                throw new ModelValidationException(resource.Name, "it waits for itself.");
            }

            if (!inModel.Contains(wait.Target))
            {
                throw new ModelValidationException(resource.Name, $"it waits for '{wait.Target.Name}', which is not part of this model.");
            }
        }

        foreach (var reference in resource.AnnotationsOf<ReferenceAnnotation>())
        {
            if (!inModel.Contains(reference.Target))
            {
                throw new ModelValidationException(resource.Name, $"it references '{reference.Target.Name}', which is not part of this model.");
            }
        }

        if (resource is IResourceWithParent child && !inModel.Contains(child.Parent))
        {
            throw new ModelValidationException(resource.Name, $"its parent '{child.Parent.Name}' is not part of this model.");
        }
    }

    private static void ValidateEndpoints(IResource resource)
    {
        var endpointNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in resource.AnnotationsOf<EndpointAnnotation>())
        {
            if (!endpointNames.Add(endpoint.Name))
            {
                throw new ModelValidationException(resource.Name, $"it declares the endpoint '{endpoint.Name}' twice.");
            }

            if (endpoint.Port is < 1 or > 65535)
            {
                throw new ModelValidationException(resource.Name, $"endpoint '{endpoint.Name}' has port {endpoint.Port}; allowed: 1 to 65535, or none for a free port.");
            }
        }

        foreach (var check in resource.AnnotationsOf<HttpHealthCheckAnnotation>())
        {
            if (!endpointNames.Contains(check.EndpointName))
            {
                throw new ModelValidationException(resource.Name, $"its health check uses endpoint '{check.EndpointName}', which it does not declare.");
            }
        }
    }

    /// <summary>The resources a resource must not start before: its waits and its parent.</summary>
    public static IEnumerable<IResource> DependenciesOf(IResource resource)
    {
        foreach (var wait in resource.AnnotationsOf<WaitAnnotation>())
        {
            yield return wait.Target;
        }

        if (resource is IResourceWithParent child)
        {
            yield return child.Parent;
        }
    }

    private static void ValidateNoCycles(IReadOnlyList<IResource> resources)
    {
        var state = new Dictionary<IResource, bool>(ReferenceEqualityComparer.Instance); // false = visiting, true = done
        var path = new List<IResource>();

        void Visit(IResource resource)
        {
            if (state.TryGetValue(resource, out var done))
            {
                if (!done)
                {
                    var cycle = path.SkipWhile(r => !ReferenceEquals(r, resource)).Select(r => r.Name).Append(resource.Name);
                    throw new ModelValidationException(resource.Name, $"its waits form a cycle: {string.Join(" -> ", cycle)}.");
                }

                return;
            }

            state[resource] = false;
            path.Add(resource);
            foreach (var dependency in DependenciesOf(resource))
            {
                Visit(dependency);
            }

            path.RemoveAt(path.Count - 1);
            state[resource] = true;
        }

        foreach (var resource in resources)
        {
            Visit(resource);
        }
    }

    private static void ValidateFixedPorts(IReadOnlyList<IResource> resources, MindoraHostOptions options, bool checkPorts)
    {
        var owners = new Dictionary<int, string>();
        if (options.DashboardUrl.Port != 0)
        {
            owners[options.DashboardUrl.Port] = "the dashboard";
            if (checkPorts && !PortAllocator.IsFree(options.DashboardUrl.Port))
            {
                throw new ModelValidationException("dashboard", $"port {options.DashboardUrl.Port} is already taken (is another AppHost running?). Pass --dashboard-url http://127.0.0.1:0 for a free port, or another port.");
            }
        }

        foreach (var resource in resources)
        {
            foreach (var endpoint in resource.AnnotationsOf<EndpointAnnotation>())
            {
                if (endpoint.Port is not { } port || options.RandomizePorts)
                {
                    continue;
                }

                if (owners.TryGetValue(port, out var owner))
                {
                    throw new ModelValidationException(resource.Name, $"endpoint '{endpoint.Name}' asks for port {port}, which {owner} also uses.");
                }

                owners[port] = $"resource '{resource.Name}'";
                if (checkPorts && !PortAllocator.IsFree(port))
                {
                    throw new ModelValidationException(resource.Name, $"endpoint '{endpoint.Name}' asks for port {port}, which is already taken on this machine. Stop what uses it, change the port, or run with --randomize-ports.");
                }
            }
        }
    }

    [GeneratedRegex("^[A-Za-z](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();
}
