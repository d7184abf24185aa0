using Mindora.Hosting;
using Mindora.Hosting.ApplicationModel;

// The whole stack of the DocumentProcessor sample: six backing services and two projects of app
// "docs". `dotnet run --project Mindora.AppHost` runs each service as a container, a process or
// embedded (see --runtime), and serves the dashboard. WithMindoraApp gives app "docs" its own
// user on PostgreSQL, Redis and RabbitMQ when they run as real servers.
var builder = MindoraApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres").WithDataVolume();
var db = postgres.AddDatabase("db");
var redis = builder.AddRedis("redis").WithDataVolume();
var rabbitmq = builder.AddRabbitMQ("rabbitmq").WithDataVolume();
var elasticsearch = builder.AddElasticsearch("elasticsearch").WithDataVolume();
var qdrant = builder.AddQdrant("qdrant").WithDataVolume();
var files = builder.AddMinio("files").WithDataVolume();

// Signs the download links of app "docs"; generated once and kept in the data directory.
var filesSigningKey = builder.AddParameter("files-signing-key", secret: true, generate: new GeneratedParameterDefault(MinLength: 32));

builder.AddProject("docs-api", "../samples/DocumentProcessor/DocumentProcessor.csproj")
    .WithMindoraApp("docs")
    .WithHttpEndpoint(port: 5180)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithReference(db).WithReference(redis).WithReference(rabbitmq)
    .WithReference(elasticsearch).WithReference(qdrant).WithReference(files)
    .WithEnvironment("Mindora__Files__SigningKey", filesSigningKey)
    .WaitFor(db).WaitFor(redis).WaitFor(elasticsearch).WaitFor(files);

builder.AddProject("worker", "../Mindora.Worker/Mindora.Worker.csproj")
    .WithMindoraApp("docs")
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/health")
    .WithReference(db).WithReference(redis).WithReference(rabbitmq)
    .WithReference(elasticsearch).WithReference(qdrant).WithReference(files)
    .WithEnvironment("Mindora__Files__SigningKey", filesSigningKey)
    .WaitFor(redis).WaitFor(elasticsearch).WaitFor(files);

return await builder.Build().RunAsync();

/// <summary>The AppHost's entry point; public so tests can start this exact stack with MindoraTestingBuilder.</summary>
public partial class Program;
