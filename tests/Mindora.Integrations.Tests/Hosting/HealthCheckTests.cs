using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Hosting;

public sealed class HealthCheckTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public async Task Health_checks_are_healthy_on_a_usable_directory_and_tagged_ready()
    {
        var dir = temp.NewStoreDirectory();
        using var host = Build(dir);

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(["mindora-cache", "mindora-files", "mindora-search", "mindora-tasks"], report.Entries.Keys.Order());
        Assert.All(report.Entries.Values, e => Assert.Equal(HealthStatus.Healthy, e.Status));
        Assert.All(report.Entries.Values, e => Assert.Contains("ready", e.Tags));
        Assert.True(File.Exists(Path.Combine(dir, "files.db")));
        Assert.True(File.Exists(Path.Combine(dir, "tasks.db")));
        Assert.True(File.Exists(Path.Combine(dir, "search.db")));
        Assert.True(File.Exists(Path.Combine(dir, "cache.db")));
        Assert.Empty(Directory.GetFiles(dir, ".probe-*"));
    }

    [Fact]
    public async Task Health_checks_are_unhealthy_when_the_directory_is_unusable()
    {
        // A regular file where the data directory should be: nothing can be created there.
        var blocked = Path.Combine(temp.Root, "not-a-directory-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(blocked, "x");
        using var host = Build(blocked);

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(4, report.Entries.Count);
        Assert.All(report.Entries.Values, e => Assert.Equal(HealthStatus.Unhealthy, e.Status));
        Assert.All(report.Entries.Values, e => Assert.IsType<MindoraUnavailableException>(e.Exception));
    }

    [Fact]
    public async Task Health_check_recovers_once_the_directory_becomes_usable()
    {
        var dir = Path.Combine(temp.Root, "late-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(dir, "x");
        using var host = Build(dir);
        var health = host.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Unhealthy, (await health.CheckHealthAsync()).Status);

        File.Delete(dir);

        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
    }

    private static IHost Build(string directory)
    {
        var connection = MindoraConnectionString.ForEmbedded(directory);
        var builder = HostBuilders.Create(
            ("ConnectionStrings:files", connection),
            ("ConnectionStrings:redis", connection),
            ("ConnectionStrings:elasticsearch", connection));
        builder.AddMindora("docs");
        return builder.Build();
    }
}
