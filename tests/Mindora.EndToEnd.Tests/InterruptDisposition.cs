using System.Runtime.InteropServices;

namespace Mindora.EndToEnd.Tests;

/// <summary>
/// A test run started in the background (`cmd &` in a script, nohup) inherits SIGINT as ignored,
/// and so does every process it starts: an AppHost started from it could not be stopped with
/// Ctrl+C, as Unix intends for background jobs. The tests that press Ctrl+C give SIGINT its
/// default disposition again before starting the AppHost (a handler the runtime installed is kept).
/// </summary>
internal static partial class InterruptDisposition
{
    private const int SigInt = 2;
    private static readonly nint Default = 0;
    private static readonly nint Ignore = 1;

    public static void Unignore()
    {
        var previous = Signal(SigInt, Default);
        if (previous != Ignore)
        {
            Signal(SigInt, previous);
        }
    }

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);
}
