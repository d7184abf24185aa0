using System.Diagnostics;

namespace Mindora.Integrations.Tests.Support;

/// <summary>A real worker process (tests/Mindora.TaskChild) that claims one task and holds it until it is killed.</summary>
internal sealed class TaskChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _claimed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private TaskChildProcess(Process process)
    {
        _process = process;
    }

    public static TaskChildProcess Start(string app, string connectionString, TimeSpan lease)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Mindora.TaskChild.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, app, connectionString, ((long)lease.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start };
        var child = new TaskChildProcess(process);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The id of the task the child claimed.</summary>
    public async Task<string> WaitForClaimAsync(TimeSpan timeout)
    {
        try
        {
            return await _claimed.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            lock (_output)
            {
                throw new TimeoutException("The child worker claimed nothing; its output:\n" + string.Join('\n', _output));
            }
        }
    }

    /// <summary>SIGKILL: the process gets no chance to release its lease or clean up.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            KillHard();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (line.StartsWith("claimed ", StringComparison.Ordinal))
        {
            _claimed.TrySetResult(line["claimed ".Length..]);
        }
    }
}
