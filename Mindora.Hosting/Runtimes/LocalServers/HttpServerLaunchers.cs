using System.Globalization;
using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Runtimes.LocalServers;

/// <summary>
/// Qdrant from a <c>qdrant</c> binary on PATH: settings through its QDRANT__* environment (the API
/// key never on the command line). Ready when GET /readyz answers.
/// </summary>
internal sealed class QdrantLauncher(ProcessReaper reaper, PortAllocator ports, HttpClient probeClient) : IServerLauncher
{
    public bool Handles(ServiceResource resource) => resource is QdrantServerResource;

    public RuntimeAvailability CheckAvailability(ServiceResource resource) =>
        Binaries.Find("qdrant") is { } binary
            ? new RuntimeAvailability(true, $"qdrant at {binary}")
            : new RuntimeAvailability(false, "no qdrant binary on PATH");

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
            new ChildProcessSpec(Binaries.Find("qdrant")!, [], context.DataDirectory, environment),
            reaper,
            (line, isError) => context.Log(isError ? LogOrigin.Stderr : LogOrigin.Stdout, line));
        return new RunningServer(child, ServiceProbes.For(qdrant, probeClient));
    }
}

/// <summary>
/// MinIO from a <c>minio</c> binary on PATH, root credentials through its environment. Ready when
/// GET /minio/health/ready answers.
/// </summary>
internal sealed class MinioLauncher(ProcessReaper reaper, HttpClient probeClient) : IServerLauncher
{
    public bool Handles(ServiceResource resource) => resource is MinioResource;

    public RuntimeAvailability CheckAvailability(ServiceResource resource) =>
        Binaries.Find("minio") is { } binary
            ? new RuntimeAvailability(true, $"minio at {binary}")
            : new RuntimeAvailability(false, "no minio binary on PATH");

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
            new ChildProcessSpec(Binaries.Find("minio")!, ["server", data, "--address", $"127.0.0.1:{api.Port}", "--console-address", $"127.0.0.1:{console.Port}"], context.DataDirectory, environment),
            reaper,
            (line, isError) => context.Log(isError ? LogOrigin.Stderr : LogOrigin.Stdout, line));
        return new RunningServer(child, ServiceProbes.For(minio, probeClient));
    }
}
