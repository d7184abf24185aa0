using Mindora.Hosting.Runtimes;
using Mindora.Hosting.Runtimes.LocalServers;

namespace Mindora.Hosting.Tests;

/// <summary>
/// The Elasticsearch process launcher's exact configuration, environment, arguments and keystore
/// commands (no distribution can be installed here; <see cref="ElasticsearchProcessTests"/> runs a
/// real one when MINDORA_TEST_ELASTICSEARCH_HOME names it).
/// </summary>
public class ElasticsearchLauncherTests
{
    private const string Password = "s3cret-Pa55word";

    [Fact]
    public void Node_configuration_is_one_loopback_node_with_security_plain_http_and_the_given_ports()
    {
        var layout = new ElasticsearchLayout("/var/data/search");

        var yaml = ElasticsearchNodeConfig.Yaml("search", layout, 19200, 19300);

        Assert.Equal(
            """
            # Written by the Mindora AppHost at every start; changes here are overwritten.
            cluster.name: "mindora-search"
            node.name: "search"
            path.data: "/var/data/search/data"
            path.logs: "/var/data/search/logs"
            network.host: 127.0.0.1
            http.port: 19200
            transport.port: 19300
            discovery.type: single-node
            xpack.security.enabled: true
            xpack.security.http.ssl.enabled: false
            xpack.security.transport.ssl.enabled: false
            xpack.security.enrollment.enabled: false
            xpack.ml.enabled: false
            ingest.geoip.downloader.enabled: false

            """.ReplaceLineEndings(Environment.NewLine),
            yaml);
    }

    [Fact]
    public void Paths_with_quotes_and_yaml_syntax_stay_one_quoted_scalar()
    {
        var yaml = ElasticsearchNodeConfig.Yaml("search", new ElasticsearchLayout("/tmp/a \"b\" #c: d\\e"), 1, 2);

        Assert.Contains("path.data: \"/tmp/a \\\"b\\\" #c: d\\\\e/data\"", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Heap_file_sets_the_same_minimum_and_maximum()
    {
        Assert.Equal("-Xms512m\n-Xmx512m\n", ElasticsearchNodeConfig.HeapOptions(512));
        Assert.Equal("/d/config/jvm.options.d/mindora-heap.options", new ElasticsearchLayout("/d").HeapOptionsFile);
    }

    [Fact]
    public async Task Writing_the_configuration_refreshes_the_distribution_files_and_keeps_the_keystore_and_edits()
    {
        var distribution = NewDistribution();
        var layout = new ElasticsearchLayout(TestStack.NewTempDirectory());
        Directory.CreateDirectory(layout.Config);
        await File.WriteAllBytesAsync(layout.KeystoreFile, [1, 2, 3]);
        await File.WriteAllTextAsync(Path.Combine(layout.Config, "roles.yml"), "edited: {}\n");
        await File.WriteAllTextAsync(Path.Combine(layout.Config, "log4j2.properties"), "stale\n");

        await ElasticsearchNodeConfig.WriteAsync(distribution, layout, "node.name: \"x\"\n", 768, CancellationToken.None);

        Assert.Equal("node.name: \"x\"\n", await File.ReadAllTextAsync(Path.Combine(layout.Config, "elasticsearch.yml")));
        Assert.Equal("-Xms768m\n-Xmx768m\n", await File.ReadAllTextAsync(layout.HeapOptionsFile));
        Assert.Equal("appender.console.type = Console\n", await File.ReadAllTextAsync(Path.Combine(layout.Config, "log4j2.properties")));
        Assert.Equal("-XX:+UseG1GC\n", await File.ReadAllTextAsync(Path.Combine(layout.Config, "jvm.options")));
        Assert.Equal("edited: {}\n", await File.ReadAllTextAsync(Path.Combine(layout.Config, "roles.yml")));
        Assert.Equal("", await File.ReadAllTextAsync(Path.Combine(layout.Config, "users")));
        Assert.Equal(new byte[] { 1, 2, 3 }, await File.ReadAllBytesAsync(layout.KeystoreFile));
    }

    [Fact]
    public void Keystore_is_created_then_the_password_added_from_stdin_only()
    {
        var distribution = NewDistribution();
        var layout = new ElasticsearchLayout(TestStack.NewTempDirectory());

        var commands = ElasticsearchKeystore.Commands(distribution, layout, Password, isRoot: false, ElasticsearchAccount.User);

        var keystore = Path.Combine(distribution.Home, "bin", "elasticsearch-keystore");
        Assert.Collection(
            commands,
            create =>
            {
                Assert.Equal(keystore, create.FileName);
                Assert.Equal(["create"], create.Arguments);
                Assert.Null(create.StandardInput);
            },
            add =>
            {
                Assert.Equal(keystore, add.FileName);
                Assert.Equal(["add", "-x", "-f", "bootstrap.password"], add.Arguments);
                Assert.Equal(Password + "\n", add.StandardInput);
            });
        foreach (var command in commands)
        {
            Assert.Equal(layout.Root, command.WorkingDirectory);
            Assert.Equal(layout.Config, command.Environment["ES_PATH_CONF"]);
            Assert.DoesNotContain(command.Arguments, a => a.Contains(Password, StringComparison.Ordinal));
            Assert.DoesNotContain(command.Environment.Values, v => v is not null && v.Contains(Password, StringComparison.Ordinal));
            Assert.DoesNotContain(Password, command.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_existing_keystore_is_kept_and_only_the_password_is_set_again()
    {
        var layout = new ElasticsearchLayout(TestStack.NewTempDirectory());
        Directory.CreateDirectory(layout.Config);
        await File.WriteAllBytesAsync(layout.KeystoreFile, [1]);

        var commands = ElasticsearchKeystore.Commands(NewDistribution(), layout, Password, isRoot: false, ElasticsearchAccount.User);

        var only = Assert.Single(commands);
        Assert.Equal(["add", "-x", "-f", "bootstrap.password"], only.Arguments);
    }

    [Fact]
    public void As_root_the_keystore_tool_runs_as_mindora_es_through_setpriv()
    {
        var distribution = NewDistribution();
        var layout = new ElasticsearchLayout(TestStack.NewTempDirectory());

        var commands = ElasticsearchKeystore.Commands(distribution, layout, Password, isRoot: true, ElasticsearchAccount.User);

        Assert.All(commands, c => Assert.Equal("/usr/bin/setpriv", c.FileName));
        Assert.Equal(
            ["--reuid=mindora-es", "--regid=mindora-es", "--init-groups", "--", distribution.Keystore, "add", "-x", "-f", "bootstrap.password"],
            commands[^1].Arguments);
        Assert.Equal(Password + "\n", commands[^1].StandardInput);
    }

    [Theory]
    [InlineData("")]
    [InlineData("two\nlines")]
    [InlineData("carriage\rreturn")]
    public void A_password_that_is_not_one_line_is_refused_before_anything_runs(string password)
    {
        var error = Assert.Throws<MindoraHostingException>(() =>
            ElasticsearchKeystore.Commands(NewDistribution(), new ElasticsearchLayout(TestStack.NewTempDirectory()), password, isRoot: false, ElasticsearchAccount.User));

        Assert.Contains("one non-empty line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keystore_commands_run_in_order_and_a_failure_names_the_command_without_the_password()
    {
        var layout = new ElasticsearchLayout(TestStack.NewTempDirectory());
        var commands = ElasticsearchKeystore.Commands(NewDistribution(), layout, Password, isRoot: false, ElasticsearchAccount.User);
        var runner = new RecordingRunner(_ => new CommandRunner.Result(0, "Created elasticsearch keystore\n", string.Empty), _ => new CommandRunner.Result(65, string.Empty, $"ERROR: could not store {Password}\n"));
        var logged = new List<string>();

        var error = await Assert.ThrowsAsync<MindoraHostingException>(() =>
            ElasticsearchKeystore.SetPasswordAsync(runner, commands, Password, logged.Add, CancellationToken.None));

        Assert.Equal(commands, runner.Ran);
        Assert.Contains("add -x -f bootstrap.password", error.Message, StringComparison.Ordinal);
        Assert.Contains("exit code 65", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
        Assert.Equal(["Created elasticsearch keystore", "ERROR: could not store ****"], logged);
    }

    [Fact]
    public async Task The_real_command_runner_gives_the_input_on_stdin()
    {
        var result = await SystemCommandRunner.Instance.RunAsync(
            new CommandSpec("/bin/cat", [], new Dictionary<string, string?>(), StandardInput: Password + "\n"),
            CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(Password + "\n", result.Output);
    }

    [Fact]
    public void Not_as_root_the_node_runs_directly_with_its_own_configuration_and_no_arguments()
    {
        var distribution = NewDistribution();
        var layout = new ElasticsearchLayout("/data/search");

        var spec = ElasticsearchLauncher.ServerSpec(distribution, layout, isRoot: false);

        Assert.Equal(distribution.Server, spec.FileName);
        Assert.Empty(spec.Arguments);
        Assert.Equal("/data/search", spec.WorkingDirectory);
        Assert.Equal(
            new Dictionary<string, string?> { ["ES_PATH_CONF"] = "/data/search/config", ["ES_TMPDIR"] = "/data/search/tmp", ["ES_JAVA_OPTS"] = null },
            spec.Environment);
        Assert.Null(ElasticsearchAccount.CreateCommand(isRoot: false, _ => false));
        Assert.Null(ElasticsearchAccount.Unavailable(isRoot: false, _ => false, distribution));
    }

    [Fact]
    public void As_root_the_node_runs_as_mindora_es()
    {
        var distribution = NewDistribution();

        var spec = ElasticsearchLauncher.ServerSpec(distribution, new ElasticsearchLayout("/data/search"), isRoot: true);

        Assert.Equal("/usr/bin/setpriv", spec.FileName);
        Assert.Equal(["--reuid=mindora-es", "--regid=mindora-es", "--init-groups", "--", distribution.Server], spec.Arguments);
    }

    [Fact]
    public async Task As_root_a_missing_account_is_created_once_and_an_existing_one_reused()
    {
        var create = ElasticsearchAccount.CreateCommand(isRoot: true, _ => false);
        Assert.NotNull(create);
        Assert.Equal("/usr/sbin/useradd", create.FileName);
        Assert.Equal(["--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", "mindora-es"], create.Arguments);
        Assert.Null(ElasticsearchAccount.CreateCommand(isRoot: true, user => user == "mindora-es"));

        // Another AppHost creating it at the same moment (useradd: name in use, 9) is not an error; other failures are.
        var raced = new RecordingRunner(_ => new CommandRunner.Result(9, string.Empty, "useradd: user 'mindora-es' already exists"));
        await ElasticsearchAccount.EnsureAsync(raced, isRoot: true, _ => false, _ => { }, CancellationToken.None);
        Assert.Single(raced.Ran);

        var denied = new RecordingRunner(_ => new CommandRunner.Result(1, string.Empty, "useradd: cannot lock /etc/passwd"));
        var error = await Assert.ThrowsAsync<MindoraHostingException>(() => ElasticsearchAccount.EnsureAsync(denied, isRoot: true, _ => false, _ => { }, CancellationToken.None));
        Assert.Contains("cannot lock /etc/passwd", error.Message, StringComparison.Ordinal);

        var existing = new RecordingRunner();
        await ElasticsearchAccount.EnsureAsync(existing, isRoot: true, _ => true, _ => { }, CancellationToken.None);
        Assert.Empty(existing.Ran);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void As_root_a_distribution_the_account_cannot_reach_is_reported_with_what_to_do()
    {
        var parent = TestStack.NewTempDirectory();
        var distribution = NewDistribution(Path.Combine(parent, "elasticsearch-8.17.4"));
        File.SetUnixFileMode(parent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // like /root

        var reason = ElasticsearchAccount.Unavailable(isRoot: true, _ => true, distribution);

        Assert.NotNull(reason);
        Assert.Contains("cannot reach " + distribution.Home, reason, StringComparison.Ordinal);
        Assert.Contains("/opt", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_configured_home_comes_first_then_ES_HOME_then_PATH()
    {
        var configured = NewDistribution();
        var esHome = NewDistribution();
        var onPath = NewDistribution();

        Assert.Equal(configured.Home, ElasticsearchDistribution.Find(configured.Home, esHome.Home, Path.Combine(onPath.Home, "bin")).Distribution?.Home);
        Assert.Equal(esHome.Home, ElasticsearchDistribution.Find(null, esHome.Home, Path.Combine(onPath.Home, "bin")).Distribution?.Home);
        var found = ElasticsearchDistribution.Find(null, null, "/nonexistent" + Path.PathSeparator + Path.Combine(onPath.Home, "bin")).Distribution;
        Assert.Equal(onPath.Home, found?.Home);
        Assert.Equal(Path.Combine(onPath.Home, "config"), found?.ConfigDirectory);
        Assert.Equal("8.17.4", found?.Version);
    }

    [Fact]
    public void A_symlinked_elasticsearch_on_PATH_leads_to_its_distribution()
    {
        var distribution = NewDistribution();
        var links = TestStack.NewTempDirectory();
        File.CreateSymbolicLink(Path.Combine(links, "elasticsearch"), distribution.Server);

        Assert.Equal(distribution.Home, ElasticsearchDistribution.Find(null, null, links).Distribution?.Home);
    }

    [Fact]
    public void A_configured_home_that_is_no_distribution_is_reported_not_replaced_by_another()
    {
        var onPath = NewDistribution();
        var empty = TestStack.NewTempDirectory();

        var (distribution, reason) = ElasticsearchDistribution.Find(empty, null, Path.Combine(onPath.Home, "bin"));

        Assert.Null(distribution);
        Assert.Contains($"Mindora:Elasticsearch:Home names {empty}, which has no bin/elasticsearch", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_distribution_without_its_configuration_files_is_reported()
    {
        var distribution = NewDistribution();
        File.Delete(Path.Combine(distribution.ConfigDirectory, "log4j2.properties"));

        var (found, reason) = ElasticsearchDistribution.Find(null, distribution.Home, null);

        Assert.Null(found);
        Assert.Contains("has no config/log4j2.properties", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_7x_distribution_is_reported_as_too_old()
    {
        var distribution = NewDistribution();
        File.Move(Path.Combine(distribution.Home, "lib", "elasticsearch-8.17.4.jar"), Path.Combine(distribution.Home, "lib", "elasticsearch-7.17.28.jar"));

        var (found, reason) = ElasticsearchDistribution.Find(distribution.Home, null, null);

        Assert.Null(found);
        Assert.Contains("is 7.17.28; the process runtime runs 8.x or later", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_any_distribution_the_reason_says_where_to_get_one()
    {
        var (distribution, reason) = ElasticsearchDistribution.Find(null, null, "/nonexistent", packageHome: "/nonexistent/elasticsearch");

        Assert.Null(distribution);
        Assert.Contains("https://www.elastic.co/downloads/elasticsearch", reason, StringComparison.Ordinal);
    }

    /// <summary>A directory laid out like the tar.gz (the launcher reads it; nothing in it runs here).</summary>
    private static ElasticsearchDistribution NewDistribution(string? home = null)
    {
        home ??= Path.Combine(TestStack.NewTempDirectory(), "elasticsearch-8.17.4");
        foreach (var directory in new[] { "bin", "config", "lib", "config/jvm.options.d" })
        {
            Directory.CreateDirectory(Path.Combine(home, directory));
        }

        File.WriteAllText(Path.Combine(home, "bin", "elasticsearch"), string.Empty);
        File.WriteAllText(Path.Combine(home, "bin", "elasticsearch-keystore"), string.Empty);
        File.WriteAllText(Path.Combine(home, "lib", "elasticsearch-8.17.4.jar"), string.Empty);
        File.WriteAllText(Path.Combine(home, "lib", "elasticsearch-cli-8.17.4.jar"), string.Empty);
        File.WriteAllText(Path.Combine(home, "config", "log4j2.properties"), "appender.console.type = Console\n");
        File.WriteAllText(Path.Combine(home, "config", "jvm.options"), "-XX:+UseG1GC\n");
        File.WriteAllText(Path.Combine(home, "config", "elasticsearch.yml"), "# the distribution's, not used\n");
        File.WriteAllText(Path.Combine(home, "config", "roles.yml"), string.Empty);
        File.WriteAllText(Path.Combine(home, "config", "users"), string.Empty);
        return ElasticsearchDistribution.Find(home, null, null).Distribution!;
    }

    /// <summary>Records the commands given to it and answers each with the next result (success when none is left).</summary>
    private sealed class RecordingRunner(params Func<CommandSpec, CommandRunner.Result>[] results) : ICommandRunner
    {
        public List<CommandSpec> Ran { get; } = [];

        public Task<CommandRunner.Result> RunAsync(CommandSpec command, CancellationToken cancellationToken)
        {
            Ran.Add(command);
            var answer = Ran.Count <= results.Length ? results[Ran.Count - 1](command) : new CommandRunner.Result(0, string.Empty, string.Empty);
            return Task.FromResult(answer);
        }
    }
}
