namespace Mindora.Hosting.Runtimes.Containers;

/// <summary>
/// The container engine the AppHost talks to: Docker, then Podman (<c>MINDORA_CONTAINER_RUNTIME</c>
/// forces one). An engine counts only when its daemon answers <c>info</c> within a few seconds;
/// a client without an engine is reported, not waited on.
/// </summary>
internal sealed record ContainerEngine(string Name, string Client)
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(5);

    public static async Task<(ContainerEngine? Engine, string Reason)> DetectAsync(string? forced, CancellationToken cancellationToken)
    {
        string[] candidates = forced is { Length: > 0 } ? [forced] : ["docker", "podman"];
        var reasons = new List<string>();
        foreach (var name in candidates)
        {
            if (name is not ("docker" or "podman"))
            {
                return (null, $"MINDORA_CONTAINER_RUNTIME '{name}' is not docker or podman");
            }

            if (LocalServers.Binaries.Find(name) is not { } client)
            {
                reasons.Add($"{name}: not installed");
                continue;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(AnswerTimeout);
            try
            {
                var info = await CommandRunner.RunAsync(client, ["info", "--format", "{{.ServerVersion}}"], timeout.Token).ConfigureAwait(false);
                if (info.Succeeded && info.Output.Trim().Length > 0)
                {
                    return (new ContainerEngine(name, client), $"{name} {info.Output.Trim()}");
                }

                reasons.Add($"{name}: the engine does not answer ({FirstLine(info.Errors)})");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                reasons.Add($"{name}: the engine did not answer within {AnswerTimeout.TotalSeconds:0} s");
            }
        }

        return (null, string.Join("; ", reasons));
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no output";
}
