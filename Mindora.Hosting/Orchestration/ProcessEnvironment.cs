using System.Collections;
using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting;

/// <summary>
/// The environment a project or executable gets, in Aspire's names so every Mindora app also runs under a real
/// Aspire AppHost: ConnectionStrings__*, services__*, OTEL_*, ASPNETCORE_URLS, plus WithEnvironment.
/// Resolved twice: real values for the process, masked values for the dashboard.
/// </summary>
internal static class ProcessEnvironment
{
    // Inherited variables that would contradict what the AppHost decides for the project.
    private static readonly string[] InheritedPrefixesToDrop = ["ConnectionStrings__", "services__", "OTEL_"];
    private static readonly string[] InheritedNamesToDrop = ["ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_LAUNCH_PROFILE", "URLS"];

    /// <summary>Where the apps find the admin token (configuration key <c>Mindora:Admin:Token</c>).</summary>
    public const string AdminTokenVariable = "Mindora__Admin__Token";

    public sealed record Result(IReadOnlyDictionary<string, string?> ForProcess, IReadOnlyList<EnvironmentVariableSnapshot> ForDisplay);

    public static async Task<Result> BuildAsync(IResourceWithEnvironment project, OrchestratorContext context, CancellationToken cancellationToken)
    {
        var declared = new List<(string Name, IValueProvider Value)>
        {
            ("ASPNETCORE_ENVIRONMENT", new LiteralValue(context.Options.EnvironmentName)),
            ("DOTNET_ENVIRONMENT", new LiteralValue(context.Options.EnvironmentName)),
            ("OTEL_SERVICE_NAME", new LiteralValue(project.Name)),
            ("OTEL_RESOURCE_ATTRIBUTES", new LiteralValue($"service.instance.id={project.Name}-{context.RunId}")),
            ("Logging__Console__FormatterOptions__SingleLine", new LiteralValue("true")),
            ("Logging__Console__FormatterOptions__ColorBehavior", new LiteralValue("Disabled")),
        };

        if (context.Options.OtlpEndpoint is { } otlp)
        {
            declared.Add(("OTEL_EXPORTER_OTLP_ENDPOINT", new LiteralValue(otlp.ToString().TrimEnd('/'))));
            declared.Add(("OTEL_EXPORTER_OTLP_PROTOCOL", new LiteralValue("grpc")));
        }

        var urls = project.AnnotationsOf<EndpointAnnotation>()
            .Where(e => e.Scheme is "http" or "https" && e.Allocated is not null)
            .Select(e => e.Allocated!.Url)
            .ToList();
        if (urls.Count > 0)
        {
            declared.Add(("ASPNETCORE_URLS", new LiteralValue(string.Join(';', urls))));
        }

        declared.AddRange(project.AnnotationsOf<EnvironmentAnnotation>().Select(a => (a.Name, a.Value)));

        var forProcess = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry inherited in Environment.GetEnvironmentVariables())
        {
            var name = (string)inherited.Key;
            if (InheritedNamesToDrop.Contains(name, StringComparer.OrdinalIgnoreCase)
                || InheritedPrefixesToDrop.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                forProcess[name] = null;
            }
        }

        var display = new Dictionary<string, EnvironmentVariableSnapshot>(StringComparer.Ordinal);
        foreach (var (name, provider) in declared)
        {
            var value = await provider.GetValueAsync(ValueResolutionContext.Run, cancellationToken).ConfigureAwait(false) ?? string.Empty;
            var masked = await provider.GetValueAsync(ValueResolutionContext.Masked, cancellationToken).ConfigureAwait(false) ?? string.Empty;
            forProcess[name] = value;
            display[name] = new EnvironmentVariableSnapshot(name, masked, !string.Equals(value, masked, StringComparison.Ordinal));
        }

        // The apps' admin endpoints (the dashboard's Tasks view) accept only this run's token.
        if (context.AdminToken is { } adminToken && !display.ContainsKey(AdminTokenVariable))
        {
            forProcess[AdminTokenVariable] = adminToken;
            display[AdminTokenVariable] = new EnvironmentVariableSnapshot(AdminTokenVariable, ValueResolutionContext.Mask, true);
        }

        return new Result(forProcess, display.Values.OrderBy(v => v.Name, StringComparer.Ordinal).ToList());
    }
}
