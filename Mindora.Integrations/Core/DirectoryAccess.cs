namespace Mindora.Integrations;

/// <summary>Proves that a store's directory exists and takes writes (used by health checks).</summary>
internal static class DirectoryAccess
{
    public static async Task ProbeWriteAsync(string directory, CancellationToken cancellationToken)
    {
        var probe = Path.Combine(directory, $".probe-{Guid.NewGuid():N}");
        try
        {
            // DeleteOnClose: the probe never outlives the check, even if the process dies here.
            var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            await using (stream)
            {
                await stream.WriteAsync(new byte[] { 1 }, cancellationToken);
                await stream.FlushAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MindoraUnavailableException($"The directory '{directory}' does not accept writes: {e.Message}", e);
        }
    }
}
