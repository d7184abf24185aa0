using System.Diagnostics;

namespace Mindora.Hosting.Runtimes;

/// <summary>
/// A tiny shell process, in its own session, that holds the list of child process groups the
/// AppHost started. It reads that list from a pipe; when the pipe closes because the AppHost
/// ended in any way (even SIGKILL), it sends SIGTERM to every group left, then SIGKILL.
/// This is what guarantees no child survives the AppHost.
/// </summary>
internal sealed class ProcessReaper : IDisposable
{
    // POSIX sh (dash): "kill -SIG -PGID" signals a group; dash rejects "--".
    // Ignores the terminal's signals: only the closed pipe ends it. Groups are removed when the
    // AppHost reports them gone, so a recycled pid is never signalled. Written for POSIX sh
    // (dash): "kill -SIG -PGID" signals a group, and dash rejects "--".
    private const string Script = """
        trap '' INT HUP TERM QUIT
        pids=' '
        while read -r op pid; do
          case "$op" in
            add) pids="$pids$pid " ;;
            del) pids=$(printf '%s' "$pids" | sed "s/ $pid / /") ;;
          esac
        done
        for p in $pids; do kill -TERM "-$p" 2>/dev/null; done
        i=0
        while [ $i -lt 50 ]; do
          alive=''
          for p in $pids; do kill -0 "-$p" 2>/dev/null && alive=1; done
          [ -z "$alive" ] && exit 0
          sleep 0.2; i=$((i+1))
        done
        for p in $pids; do kill -KILL "-$p" 2>/dev/null; done
        """;

    private readonly Process? _process;
    private readonly Lock _gate = new();
    private bool _disposed;

    private ProcessReaper(Process? process) => _process = process;

    /// <summary>Starts the reaper; without /bin/sh it degrades to doing nothing.</summary>
    public static ProcessReaper Start()
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/bin/sh"))
        {
            return new ProcessReaper(null);
        }

        var start = new ProcessStartInfo
        {
            FileName = File.Exists(ChildProcess.SetsidPath) ? ChildProcess.SetsidPath : "/bin/sh",
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (start.FileName == ChildProcess.SetsidPath)
        {
            start.ArgumentList.Add("/bin/sh");
        }

        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the process reaper.");
        return new ProcessReaper(process);
    }

    /// <summary>The reaper's own process id (for tests).</summary>
    public int? ProcessId => _process?.Id;

    public void Track(int processGroupId) => Send($"add {processGroupId}");

    public void Untrack(int processGroupId) => Send($"del {processGroupId}");

    private void Send(string line)
    {
        if (_process is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                _process.StandardInput.WriteLine(line);
                _process.StandardInput.Flush();
            }
            catch (IOException)
            {
                // The reaper is gone; the graceful path still stops every child.
            }
        }
    }

    /// <summary>Closes the pipe: the reaper signals whatever is still tracked and exits.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        if (_process is not null)
        {
            try
            {
                _process.StandardInput.Close();
                _process.WaitForExit(TimeSpan.FromSeconds(15));
            }
            catch (IOException)
            {
                // Already gone.
            }

            _process.Dispose();
        }
    }
}
