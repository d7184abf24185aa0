using System.Text;

namespace Mindora.Hosting.Runtimes;

/// <summary>Writes files that hold secrets (passwords, server configuration) readable by their owner only.</summary>
internal static class OwnerOnlyFile
{
    public static FileStream Create(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }

    public static async Task WriteAsync(string path, string content, CancellationToken cancellationToken)
    {
        await using var stream = Create(path);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(content), cancellationToken).ConfigureAwait(false);
    }
}
