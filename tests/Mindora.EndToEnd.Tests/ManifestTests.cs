using System.Diagnostics;
using System.Text.Json.Nodes;
using Mindora.Hosting;

namespace Mindora.EndToEnd.Tests;

/// <summary>The committed aspire-manifest.json and deploy/compose are what the AppHost's model publishes now.</summary>
public partial class ManifestTests
{
    [Fact]
    public async Task The_committed_compose_deployment_matches_the_AppHost_model()
    {
        var repositoryRoot = Path.GetDirectoryName(ProjectTargets.AppHostDirectory(typeof(Program).Assembly)!)!;
        var output = Path.Combine(Path.GetTempPath(), "mindora-compose", Guid.NewGuid().ToString("N")[..12]);
        try
        {
            await PublishAsync("compose", output);
            var committed = Path.Combine(repositoryRoot, "deploy", "compose");
            foreach (var file in Directory.GetFiles(output).Select(Path.GetFileName))
            {
                Assert.True(File.Exists(Path.Combine(committed, file!)), $"deploy/compose/{file} is missing: publish again and commit it.");
                Assert.True(
                    Normalize(await File.ReadAllTextAsync(Path.Combine(output, file!))) == Normalize(await File.ReadAllTextAsync(Path.Combine(committed, file!))),
                    $"deploy/compose/{file} is out of date: run `dotnet run --project Mindora.AppHost -- publish --publisher compose --output-path deploy/compose` and commit it.");
            }
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    // The build context and Dockerfile paths depend on where the files were written.
    private static string Normalize(string text) =>
        DockerfilePath().Replace(BuildContext().Replace(text, "context: \"<repository>\""), "dockerfile: \"<output>/$1\"");

    [System.Text.RegularExpressions.GeneratedRegex("context: \"[^\"]*\"")]
    private static partial System.Text.RegularExpressions.Regex BuildContext();

    [System.Text.RegularExpressions.GeneratedRegex("dockerfile: \"[^\"]*/([^/\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex DockerfilePath();

    private static async Task PublishAsync(string publisher, string output)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { typeof(Program).Assembly.Location, "publish", "--publisher", publisher, "--output-path", output })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var log = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, await log + await errors);
    }

    [Fact]
    public async Task The_committed_manifest_matches_the_AppHost_model()
    {
        var appHostDirectory = ProjectTargets.AppHostDirectory(typeof(Program).Assembly)!;
        var repositoryRoot = Path.GetDirectoryName(appHostDirectory)!;
        var output = Path.Combine(Path.GetTempPath(), "mindora-manifest", Guid.NewGuid().ToString("N")[..12]);
        try
        {
            await PublishAsync("manifest", output);

            var generated = Rebase(JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "aspire-manifest.json")))!, output, repositoryRoot);
            var committed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(repositoryRoot, "aspire-manifest.json")))!;

            Assert.True(
                JsonNode.DeepEquals(generated, committed),
                "aspire-manifest.json is out of date: run `dotnet run --project Mindora.AppHost -- publish --publisher manifest --output-path .` and commit it.");
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    // Paths in a manifest are relative to the manifest itself: make the temporary one's relative to the repository.
    private static JsonNode Rebase(JsonNode manifest, string from, string to)
    {
        foreach (var (_, resource) in manifest["resources"]!.AsObject())
        {
            foreach (var key in new[] { "path", "workingDirectory" })
            {
                if (resource![key] is JsonValue value)
                {
                    resource[key] = Path.GetRelativePath(to, Path.GetFullPath(Path.Combine(from, value.GetValue<string>()))).Replace('\\', '/');
                }
            }
        }

        return manifest;
    }
}
