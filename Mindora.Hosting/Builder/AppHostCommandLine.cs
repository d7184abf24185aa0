namespace Mindora.Hosting;

/// <summary>
/// Turns the AppHost's own switches (<c>--runtime</c>, <c>--data-dir</c>, …) into <c>Mindora:*</c>
/// configuration keys; every other argument is left for the standard command-line provider.
/// </summary>
internal static class AppHostCommandLine
{
    private static readonly Dictionary<string, string> ValueSwitches = new(StringComparer.Ordinal)
    {
        ["--runtime"] = "Mindora:Runtime",
        ["--data-dir"] = "Mindora:DataDir",
        ["--dashboard-url"] = "Mindora:Dashboard:Url",
        ["--shutdown-timeout"] = "Mindora:ShutdownTimeoutSeconds",
        ["--otlp-endpoint"] = "Mindora:Otlp:Endpoint",
        ["--publisher"] = "Mindora:Publish:Publisher",
        ["--output-path"] = "Mindora:Publish:OutputPath",
    };

    private static readonly Dictionary<string, string> FlagSwitches = new(StringComparer.Ordinal)
    {
        ["--unsecured"] = "Mindora:Dashboard:Unsecured",
        ["--randomize-ports"] = "Mindora:RandomizePorts",
        ["--strict"] = "Mindora:Strict",
    };

    public const string Usage = """
        Usage: dotnet run --project Mindora.AppHost -- [options]

          --runtime auto|embedded|process|container   how backing services run (default auto)
          --data-dir DIR                              data directory (default .mindora/ here)
          --dashboard-url http://127.0.0.1:PORT       dashboard address (default port 18888; 0 = free port)
          --unsecured                                 no dashboard login token (local scripts only)
          --randomize-ports                           free ports instead of fixed ones (tests)
          --strict                                    a service that cannot run as asked is an error, not embedded
          --shutdown-timeout SECONDS                  grace period after SIGTERM (default 10)
          --otlp-endpoint URL                         OTLP endpoint passed to apps
          --help                                      this text

        Verbs: run (default); publish --publisher manifest|compose --output-path DIR;
        provision (in production: create each app's accounts on the compose services).

        Per-resource runtime: configuration Mindora:Resources:{name}:Runtime (e.g. --Mindora:Resources:redis:Runtime=embedded).
        """;

    /// <summary>The parsed command line.</summary>
    public sealed record Result(IReadOnlyDictionary<string, string?> Settings, IReadOnlyList<string> Remaining, bool HelpRequested, string? Verb);

    public static Result Parse(IReadOnlyList<string> args)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var remaining = new List<string>();
        var help = false;
        string? verb = null;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var (name, inlineValue) = SplitInline(arg);
            if (i == 0 && arg is "publish" or "run" or "provision")
            {
                verb = arg;
            }
            else if (name is "--help" or "-h" or "-?")
            {
                help = true;
            }
            else if (FlagSwitches.TryGetValue(name, out var flagKey))
            {
                settings[flagKey] = inlineValue ?? "true";
            }
            else if (ValueSwitches.TryGetValue(name, out var valueKey))
            {
                if (inlineValue is null)
                {
                    if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        throw new MindoraHostingException($"Option {name} needs a value. Run with --help for the options.");
                    }

                    inlineValue = args[++i];
                }

                settings[valueKey] = inlineValue;
            }
            else
            {
                remaining.Add(arg);
            }
        }

        return new Result(settings, remaining, help, verb);
    }

    private static (string Name, string? Value) SplitInline(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0
            ? (arg[..equals], arg[(equals + 1)..])
            : (arg, null);
    }
}
