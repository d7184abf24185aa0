using System.Runtime.InteropServices;

namespace Mindora.Hosting.Runtimes;

/// <summary>POSIX signals, which .NET's Process API cannot send except SIGKILL.</summary>
internal static partial class NativeSignals
{
    public const int SigInt = 2;
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>Sends <paramref name="signal"/> to the whole process group led by <paramref name="processGroupId"/>.</summary>
    public static bool SignalGroup(int processGroupId, int signal) =>
        OperatingSystem.IsWindows() || Kill(-processGroupId, signal) == 0;

    /// <summary>Whether any process of the group is still alive.</summary>
    public static bool GroupExists(int processGroupId) =>
        !OperatingSystem.IsWindows() && Kill(-processGroupId, 0) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
