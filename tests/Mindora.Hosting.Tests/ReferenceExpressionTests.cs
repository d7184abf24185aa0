using Mindora.Hosting;
using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Tests;

public class ReferenceExpressionTests
{
    [Fact]
    public async Task Expression_yields_real_values_at_run_time_and_placeholders_when_published()
    {
        var builder = TestStack.CreateBuilder();
        var redis = builder.AddRedis("cache");
        var endpoint = redis.Resource.AnnotationsOf<EndpointAnnotation>().Single();
        endpoint.Allocated = new AllocatedEndpoint("tcp", "127.0.0.1", 6400);
        redis.Resource.Password.SetValue("s3cret-value");

        var run = await redis.Resource.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run);
        var masked = await redis.Resource.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Masked);

        Assert.Equal("127.0.0.1:6400,password=s3cret-value", run);
        Assert.Equal("127.0.0.1:6400,password=********", masked);
        Assert.Equal("{cache.bindings.tcp.host}:{cache.bindings.tcp.port},password={cache-password.value}", redis.Resource.ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public async Task Literal_braces_survive_formatting()
    {
        var parameter = new ParameterResource("p", secret: false);
        parameter.SetValue("v");

        var expression = ReferenceExpression.Create($"{{json}}:{parameter}:{{0}}");

        Assert.Equal("{json}:v:{0}", await expression.GetValueAsync(ValueResolutionContext.Run));
        Assert.Equal("{json}:{p.value}:{0}", expression.ValueExpression);
    }

    [Fact]
    public async Task Embedded_service_connection_string_points_at_its_data_directory()
    {
        var builder = TestStack.CreateBuilder();
        var postgres = builder.AddPostgres("pg");
        var db = postgres.AddDatabase("appdb");
        postgres.Resource.Placement = new RuntimePlacement(RuntimeKind.Embedded, "test", "/data/pg");

        Assert.Equal("Embedded=/data/pg", await postgres.Resource.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run));
        Assert.Equal("Embedded=/data/pg;Database=appdb", await db.Resource.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run));
    }

    [Fact]
    public async Task Server_connection_strings_take_Aspire_forms()
    {
        var builder = TestStack.CreateBuilder();
        var postgres = builder.AddPostgres("pg");
        var rabbit = builder.AddRabbitMQ("mq");
        var minio = builder.AddMinio("files");
        var qdrant = builder.AddQdrant("vectors");
        var elastic = builder.AddElasticsearch("search");
        foreach (var resource in new IResource[] { postgres.Resource, rabbit.Resource, minio.Resource, qdrant.Resource, elastic.Resource })
        {
            foreach (var endpoint in resource.AnnotationsOf<EndpointAnnotation>())
            {
                endpoint.Allocated = new AllocatedEndpoint(endpoint.Scheme, "127.0.0.1", 7000);
            }
        }

        foreach (var parameter in builder.Resources.OfType<ParameterResource>())
        {
            parameter.SetValue("pw");
        }

        Assert.Equal("Host=127.0.0.1;Port=7000;Username=postgres;Password=pw", await postgres.Resource.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run));
        Assert.Equal("amqp://mindora:pw@127.0.0.1:7000", await rabbit.Resource.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run));
        Assert.Equal("Endpoint=http://127.0.0.1:7000;AccessKey=mindora;SecretKey=pw", await minio.Resource.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run));
        Assert.Equal("Endpoint=http://127.0.0.1:7000;Key=pw", await qdrant.Resource.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run));
        Assert.Equal("http://elastic:pw@127.0.0.1:7000", await elastic.Resource.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run));
    }

    [Fact]
    public async Task Unallocated_endpoint_says_when_it_gets_an_address()
    {
        var builder = TestStack.CreateBuilder();
        var redis = builder.AddRedis("cache");
        redis.Resource.Password.SetValue("pw");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await redis.Resource.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run));
        Assert.Contains("allocated when the resource starts", error.Message, StringComparison.Ordinal);
    }
}
