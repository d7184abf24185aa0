using System.Diagnostics;

namespace Mindora.EndToEnd.Tests;

/// <summary>The AppHost's command line as a user meets it: clear errors, exit codes, help.</summary>
public class AppHostCommandLineTests
{
    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output + await errors);
    }

    [Fact]
    public async Task A_bad_option_ends_with_exit_code_1_and_one_line_saying_what_is_allowed()
    {
        var (exitCode, output) = await RunAsync("--runtime", "kubernetes");

        Assert.Equal(1, exitCode);
        Assert.Contains("Mindora AppHost cannot start: --runtime 'kubernetes' is not a runtime; allowed: auto, embedded, process, container.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_the_options_and_starts_nothing()
    {
        var (exitCode, output) = await RunAsync("--help");

        Assert.Equal(0, exitCode);
        foreach (var option in new[] { "--runtime", "--data-dir", "--dashboard-url", "--unsecured" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Dashboard:", output, StringComparison.Ordinal);
    }
}
