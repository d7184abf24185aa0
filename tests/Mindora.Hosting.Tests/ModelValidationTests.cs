using System.Net;
using System.Net.Sockets;
using Mindora.Hosting;

namespace Mindora.Hosting.Tests;

public class ModelValidationTests
{
    [Theory]
    [InlineData("1redis")]
    [InlineData("re dis")]
    [InlineData("redis-")]
    [InlineData("re--dis")]
    [InlineData("redis;drop")]
    [InlineData("")]
    public void Invalid_names_fail_before_anything_starts_naming_the_resource(string name)
    {
        var builder = TestStack.CreateBuilder();
        builder.AddRedis(name);

        var error = Assert.Throws<ModelValidationException>(() => builder.Build());

        Assert.Equal(name, error.ResourceName);
        Assert.Contains("allowed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_names_are_rejected_whatever_their_case()
    {
        var builder = TestStack.CreateBuilder();
        builder.AddRedis("cache");
        builder.AddRabbitMQ("Cache");

        var error = Assert.Throws<ModelValidationException>(() => builder.Build());

        Assert.Equal("Cache", error.ResourceName);
    }

    [Fact]
    public void Waiting_for_a_resource_outside_the_model_is_rejected()
    {
        var builder = TestStack.CreateBuilder();
        var other = TestStack.CreateBuilder().AddRedis("elsewhere");
        builder.AddExecutable("app", "sleep", ".", "60").WaitFor(other);

        var error = Assert.Throws<ModelValidationException>(() => builder.Build());

        Assert.Equal("app", error.ResourceName);
        Assert.Contains("'elsewhere', which is not part of this model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cyclic_waits_are_rejected_with_the_cycle_spelled_out()
    {
        var builder = TestStack.CreateBuilder();
        var a = builder.AddExecutable("a", "sleep", ".", "60");
        var b = builder.AddExecutable("b", "sleep", ".", "60").WaitFor(a);
        var c = builder.AddExecutable("c", "sleep", ".", "60").WaitFor(b);
        a.WaitFor(c);

        var error = Assert.Throws<ModelValidationException>(() => builder.Build());

        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
        Assert.Contains(" -> ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Waiting_for_itself_is_rejected()
    {
        var builder = TestStack.CreateBuilder();
        var a = builder.AddExecutable("a", "sleep", ".", "60");
        a.WaitFor(a);

        var error = Assert.Throws<ModelValidationException>(() => builder.Build());

        Assert.Contains("waits for itself", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fixed_port_already_taken_is_rejected_naming_resource_and_port()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var taken = ((IPEndPoint)listener.LocalEndpoint).Port;
        var builder = TestStack.CreateBuilder();
        builder.Options.RandomizePorts = false;
        builder.AddExecutable("web", "sleep", ".", "60").WithHttpEndpoint(port: taken);

        var error = Assert.Throws<ModelValidationException>(() => builder.Build());

        Assert.Equal("web", error.ResourceName);
        Assert.Contains($"port {taken}", error.Message, StringComparison.Ordinal);
        Assert.Contains("already taken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_resources_asking_for_one_port_are_rejected()
    {
        var builder = TestStack.CreateBuilder();
        builder.Options.RandomizePorts = false;
        builder.AddExecutable("one", "sleep", ".", "60").WithHttpEndpoint(port: 45871);
        builder.AddExecutable("two", "sleep", ".", "60").WithHttpEndpoint(port: 45871);

        var error = Assert.Throws<ModelValidationException>(() => builder.Build());

        Assert.Equal("two", error.ResourceName);
        Assert.Contains("resource 'one' also uses", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_project_file_is_rejected()
    {
        var builder = TestStack.CreateBuilder();
        builder.AddProject("api", "/nonexistent/Api.csproj");

        var error = Assert.Throws<ModelValidationException>(() => builder.Build());

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_health_check_on_an_undeclared_endpoint_is_rejected()
    {
        var builder = TestStack.CreateBuilder();
        builder.AddExecutable("web", "sleep", ".", "60").WithHttpHealthCheck();

        var error = Assert.Throws<ModelValidationException>(() => builder.Build());

        Assert.Contains("endpoint 'http'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parameter_without_a_value_fails_the_start_naming_it_and_where_to_set_it()
    {
        var builder = TestStack.CreateBuilder();
        builder.AddParameter("api-key", secret: true);
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<ModelValidationException>(() => app.StartAsync());

        Assert.Equal("api-key", error.ResourceName);
        Assert.Contains("Parameters:api-key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_taken_dashboard_port_is_rejected_before_anything_starts()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var taken = ((IPEndPoint)listener.LocalEndpoint).Port;
        var builder = TestStack.CreateBuilder();
        builder.Options.DashboardUrl = new Uri($"http://127.0.0.1:{taken}");

        var error = Assert.Throws<ModelValidationException>(() => builder.Build());

        Assert.Equal("dashboard", error.ResourceName);
        Assert.Contains("--dashboard-url", error.Message, StringComparison.Ordinal);
    }
}
