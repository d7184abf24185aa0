using System.Text;
using System.Text.Json.Nodes;
using Mindora.Hosting;
using Mindora.Hosting.ApplicationModel;
using Mindora.Hosting.Publishing;

namespace Mindora.Hosting.Tests;

public class ManifestPublisherTests
{
    private static (MindoraApplicationBuilder Builder, JsonNode Manifest) Publish(Action<MindoraApplicationBuilder> declare)
    {
        var builder = TestStack.CreateBuilder();
        declare(builder);
        builder.Build();
        var manifest = JsonNode.Parse(Encoding.UTF8.GetString(ManifestPublisher.Render(builder.Resources, builder.AppHostDirectory)))!;
        return (builder, manifest);
    }

    [Fact]
    public void Services_become_containers_with_placeholders_and_generated_secrets_become_parameters()
    {
        var (_, manifest) = Publish(b => b.AddRedis("cache").WithDataVolume());
        var cache = manifest["resources"]!["cache"]!;
        var password = manifest["resources"]!["cache-password"]!;

        Assert.Equal("container.v0", (string?)cache["type"]);
        Assert.Equal("docker.io/library/redis:7.4", (string?)cache["image"]);
        Assert.Equal("{cache.bindings.tcp.host}:{cache.bindings.tcp.port},password={cache-password.value}", (string?)cache["connectionString"]);
        Assert.Equal(6379, (int?)cache["bindings"]!["tcp"]!["targetPort"]);
        Assert.Equal("mindora-cache-data", (string?)cache["volumes"]![0]!["name"]);
        Assert.Equal("parameter.v0", (string?)password["type"]);
        Assert.True((bool?)password["inputs"]!["value"]!["secret"]);
        Assert.Equal(24, (int?)password["inputs"]!["value"]!["default"]!["generate"]!["minLength"]);
    }

    [Fact]
    public void A_project_gets_its_apps_own_credentials_and_Aspires_variables()
    {
        var (_, manifest) = Publish(b =>
        {
            var db = b.AddPostgres("pg").AddDatabase("appdb");
            var api = b.AddProject("api", Path.Combine(TestStack.NewTempDirectory(), "Api.csproj"));
            File.WriteAllText(api.Resource.ProjectPath, "<Project />");
            api.WithMindoraApp("docs").WithHttpEndpoint().WithExternalHttpEndpoints().WithReference(db);
        });
        var api = manifest["resources"]!["api"]!;
        var environment = api["env"]!;

        Assert.Equal("project.v0", (string?)api["type"]);
        Assert.Equal("Host={pg.bindings.tcp.host};Port={pg.bindings.tcp.port};Username=app_docs;Password={pg-docs-password.value};Database=appdb", (string?)environment["ConnectionStrings__appdb"]);
        Assert.Equal("docs", (string?)environment["Mindora__App"]);
        Assert.Equal("{api.bindings.http.targetPort}", (string?)environment["HTTP_PORTS"]);
        Assert.True((bool?)api["bindings"]!["http"]!["external"]);
        Assert.Equal("parameter.v0", (string?)manifest["resources"]!["pg-docs-password"]!["type"]);
    }

    [Fact]
    public void The_manifest_never_holds_a_secret_value()
    {
        var (builder, manifest) = Publish(b =>
        {
            b.AddParameter("api-key", secret: true);
            b.AddExecutable("tool", "sh", ".", "-c", "true").WithEnvironment("KEY", b.CreateResourceBuilder(b.Resources.OfType<ParameterResource>().Single()));
            b.AddRabbitMQ("mq");
        });
        foreach (var parameter in builder.Resources.OfType<ParameterResource>())
        {
            parameter.SetValue("SECRET-" + parameter.Name);
        }

        var text = Encoding.UTF8.GetString(ManifestPublisher.Render(builder.Resources, builder.AppHostDirectory));

        Assert.DoesNotContain("SECRET-", text, StringComparison.Ordinal);
        Assert.Equal("{api-key.value}", (string?)manifest["resources"]!["tool"]!["env"]!["KEY"]);
    }
}
