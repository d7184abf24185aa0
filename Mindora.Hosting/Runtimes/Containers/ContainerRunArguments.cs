using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mindora.Hosting.ApplicationModel;
using Mindora.Hosting.Publishing;

namespace Mindora.Hosting.Runtimes.Containers;

/// <summary>
/// The exact <c>run</c> command for a service: its official image, ports on loopback only, its
/// named volume, Mindora's labels, and its environment passed by name only (<c>-e NAME</c>: the
/// values travel in the client's environment, so no secret appears in a process list).
/// </summary>
internal static class ContainerRunArguments
{
    public const string ResourceLabel = "io.mindora.resource";
    public const string OwnerLabel = "io.mindora.apphost";
    public const string ConfigurationLabel = "io.mindora.configuration";

    /// <summary>The container's name: stable per data directory, so a persistent container is found again.</summary>
    public static string ContainerName(ServiceResource service, string dataDirectory) => $"mindora-{service.Name}-{Hash(dataDirectory)[..8]}";

    public static IReadOnlyList<string> For(ServiceResource service, string containerName, string dataDirectory, bool persistent)
    {
        var container = service.Container;
        var arguments = new List<string> { "run", "--name", containerName };
        if (!persistent)
        {
            arguments.Add("--rm");
        }

        arguments.AddRange(["--label", $"{ResourceLabel}={service.Name}", "--label", $"{OwnerLabel}={Hash(dataDirectory)[..8]}"]);
        arguments.AddRange(["--label", $"{ConfigurationLabel}={ConfigurationHash(service)}"]);
        foreach (var endpoint in service.AnnotationsOf<EndpointAnnotation>())
        {
            arguments.AddRange(["-p", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{endpoint.Allocated!.Port}:{endpoint.TargetPort}")]);
        }

        if (service.LastAnnotationOf<DataVolumeAnnotation>() is { } volume)
        {
            arguments.AddRange(["-v", $"{ManifestPublisher.VolumeName(service, volume)}:{container.DataPath}"]);
        }

        foreach (var name in container.Environment.Keys)
        {
            arguments.AddRange(["-e", name]);
        }

        arguments.Add($"{container.Image}:{container.Tag}");
        foreach (var argument in container.Arguments)
        {
            // Arguments are literal by design: whatever is secret reaches a container through its environment.
            arguments.Add(argument.ValueProviders.Count == 0
                ? argument.ValueExpression
                : throw new MindoraHostingException($"Resource '{service.Name}': container arguments must be literal; pass values through the environment."));
        }

        return arguments;
    }

    /// <summary>What decides whether a kept container still fits the model (no secret values in it).</summary>
    public static string ConfigurationHash(ServiceResource service)
    {
        var container = service.Container;
        var volume = service.LastAnnotationOf<DataVolumeAnnotation>();
        string[] parts =
        [
            $"{container.Image}:{container.Tag}",
            .. container.Environment.Select(e => $"{e.Key}={e.Value.ValueExpression}"),
            .. container.Arguments.Select(a => a.ValueExpression),
            .. service.AnnotationsOf<EndpointAnnotation>().Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Name}:{e.TargetPort}")),
            volume is null ? "no volume" : ManifestPublisher.VolumeName(service, volume),
        ];
        return Hash(string.Join('\n', parts))[..16];
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
