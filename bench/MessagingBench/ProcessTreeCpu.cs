using System.Globalization;

namespace MessagingBench;

/// <summary>
/// CPU time (user + system) of a process and all its descendants, from /proc: the broker's
/// script starts the Erlang VM as a child, and the VM's CPU is the cost that matters here.
/// </summary>
internal static class ProcessTreeCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux.

    public static TimeSpan Read(int rootPid)
    {
        var parents = new Dictionary<int, int>();
        var cpu = new Dictionary<int, double>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            // The command name may hold spaces and parentheses: fields start after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            cpu[pid] = (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }

        var total = 0.0;
        foreach (var (pid, seconds) in cpu)
        {
            for (var p = pid; p > 1; p = parents.GetValueOrDefault(p))
            {
                if (p == rootPid)
                {
                    total += seconds;
                    break;
                }
            }
        }

        return TimeSpan.FromSeconds(total);
    }
}
