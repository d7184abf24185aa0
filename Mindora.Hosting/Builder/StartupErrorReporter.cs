namespace Mindora.Hosting;

/// <summary>
/// Makes a model or option error end the AppHost with its message and exit code 1, instead of
/// a crash with a stack trace: the message already names the resource and what to change.
/// Installed once, and only when the AppHost is the process's own entry point (never in tests).
/// </summary>
internal static class StartupErrorReporter
{
    private static int _installed;

    public static void InstallOnce()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is MindoraHostingException error)
            {
                Console.Error.WriteLine($"Mindora AppHost cannot start: {error.Message}");
                Console.Error.Flush();
                Environment.Exit(1);
            }
        };
    }
}
