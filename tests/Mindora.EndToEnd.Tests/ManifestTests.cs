using System.Diagnostics;
using System.Text.Json.Nodes;
using Mindora.Hosting;

namespace Mindora.EndToEnd.Tests;

/// <summary>The committed aspire-manifest.json is what the AppHost's model publishes now.</summary>
public class ManifestTests
{
    [Fact]
    public async Task The_committed_manifest_matches_the_AppHost_model()
    {
        var appHostDirectory = ProjectTargets.AppHostDirectory(typeof(Program).Assembly)!;
        var repositoryRoot = Path.GetDirectoryName(appHostDirectory)!;
        var output = Path.Combine(Path.GetTempPath(), "mindora-manifest", Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { typeof(Program).Assembly.Location, "publish", "--publisher", "manifest", "--output-path", output })
            {
                start.ArgumentList.Add(argument);
            }

            using (var process = Process.Start(start)!)
            {
                var log = process.StandardOutput.ReadToEndAsync();
                var errors = process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
                Assert.True(process.ExitCode == 0, await log + await errors);
            }

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
