using System.Globalization;
using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Runtimes.LocalServers;

/// <summary>
/// Qdrant from a <c>qdrant</c> binary (<c>Mindora:Qdrant:Binary</c>, else on PATH): settings
/// through its QDRANT__* environment (the API key never on the command line). Ready when
/// GET /readyz answers.
/// </summary>
internal sealed class QdrantLauncher(ProcessReaper reaper, PortAllocator ports, HttpClient probeClient, string? configuredBinary) : IServerLauncher
{
    public bool Handles(ServiceResource resource) => resource is QdrantServerResource;

    public RuntimeAvailability CheckAvailability(ServiceResource resource)
    {
        var (binary, reason) = Binaries.FindConfigured("qdrant", configuredBinary, "Mindora:Qdrant:Binary");
        return new RuntimeAvailability(binary is not null, reason);
    }

    public async Task<IRunningService> StartAsync(ServiceResource resource, ServiceStartContext context, CancellationToken cancellationToken)
    {
        var qdrant = (QdrantServerResource)resource;
        var http = qdrant.GetEndpoint(QdrantServerResource.PrimaryEndpointName).Allocated;
        var environment = new Dictionary<string, string?>
        {
            ["QDRANT__SERVICE__HOST"] = "127.0.0.1",
            ["QDRANT__SERVICE__HTTP_PORT"] = http.Port.ToString(CultureInfo.InvariantCulture),
            ["QDRANT__SERVICE__GRPC_PORT"] = ports.AllocateFree().ToString(CultureInfo.InvariantCulture),
            ["QDRANT__SERVICE__API_KEY"] = await qdrant.ApiKey.GetValueAsync(ValueResolutionContext.Run, cancellationToken).ConfigureAwait(false),
            ["QDRANT__STORAGE__STORAGE_PATH"] = Path.Combine(context.DataDirectory, "storage"),
            ["QDRANT__STORAGE__SNAPSHOTS_PATH"] = Path.Combine(context.DataDirectory, "snapshots"),
            ["QDRANT__TELEMETRY_DISABLED"] = "true",
        };
        Directory.CreateDirectory(context.DataDirectory);
        var child = ChildProcess.Start(
            new ChildProcessSpec(Binaries.FindConfigured("qdrant", configuredBinary, "Mindora:Qdrant:Binary").Path ?? throw new MindoraHostingException("qdrant is not installed."), [], context.DataDirectory, environment),
            reaper,
            (line, isError) => context.Log(isError ? LogOrigin.Stderr : LogOrigin.Stdout, line));
        return new RunningServer(child, ServiceProbes.For(qdrant, probeClient));
    }
}

/// <summary>
/// MinIO from a <c>minio</c> binary (<c>Mindora:Minio:Binary</c>, else on PATH), root credentials
/// through its environment. Ready when GET /minio/health/ready answers.
/// </summary>
internal sealed class MinioLauncher(ProcessReaper reaper, HttpClient probeClient, string? configuredBinary) : IServerLauncher
{
    public bool Handles(ServiceResource resource) => resource is MinioResource;

    public RuntimeAvailability CheckAvailability(ServiceResource resource)
    {
        var (binary, reason) = Binaries.FindConfigured("minio", configuredBinary, "Mindora:Minio:Binary");
        return new RuntimeAvailability(binary is not null, reason);
    }

    public async Task<IRunningService> StartAsync(ServiceResource resource, ServiceStartContext context, CancellationToken cancellationToken)
    {
        var minio = (MinioResource)resource;
        var api = minio.GetEndpoint(MinioResource.PrimaryEndpointName).Allocated;
        var console = minio.GetEndpoint(MinioResource.ConsoleEndpointName).Allocated;
        var environment = new Dictionary<string, string?>
        {
            ["MINIO_ROOT_USER"] = minio.AccessKey,
            ["MINIO_ROOT_PASSWORD"] = await minio.SecretKey.GetValueAsync(ValueResolutionContext.Run, cancellationToken).ConfigureAwait(false),
            ["MINIO_BROWSER"] = "on",
        };
        var data = Path.Combine(context.DataDirectory, "data");
        Directory.CreateDirectory(data);
        var child = ChildProcess.Start(
            new ChildProcessSpec(Binaries.FindConfigured("minio", configuredBinary, "Mindora:Minio:Binary").Path ?? throw new MindoraHostingException("minio is not installed."), ["server", data, "--address", $"127.0.0.1:{api.Port}", "--console-address", $"127.0.0.1:{console.Port}"], context.DataDirectory, environment),
            reaper,
            (line, isError) => context.Log(isError ? LogOrigin.Stderr : LogOrigin.Stdout, line));
        return new RunningServer(child, ServiceProbes.For(minio, probeClient));
    }
}
