using Mindora.Integrations;

// The worker host (the role of an RQ worker): runs the registered task handlers of one app.
//   dotnet run --project Mindora.Worker -- --queues default --concurrency 10
// Under the AppHost it gets its connection strings and Mindora__App from the environment.
var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
{
    ["--queues"] = "Mindora:Worker:Queues",
    ["--concurrency"] = "Mindora:Worker:Concurrency",
    ["--app"] = "Mindora:App",
});

WebApplication app;
try
{
    var appName = builder.Configuration["Mindora:App"]
        ?? throw new MindoraConfigurationException("The worker needs an app name: set Mindora:App (environment Mindora__App, or --app NAME).");

    builder.AddServiceDefaults();
    builder.AddMindora(appName);
    builder.AddMindoraWorker().AddDocumentIngestion();
    app = builder.Build();
}
catch (MindoraConfigurationException e)
{
    // Someone started it by hand without what the AppHost passes: say what to set, not a stack trace.
    Console.Error.WriteLine($"Mindora.Worker: {e.Message}");
    Console.Error.WriteLine("Run it under the AppHost (dotnet run --project Mindora.AppHost), which passes the app name and connection strings; "
        + "alone, pass --app NAME and set ConnectionStrings__db, __redis, __rabbitmq, __files, __elasticsearch and __qdrant "
        + "(a server's connection string, or Embedded=DIR to run on local files; docs/tasks.md).");
    return 2;
}

app.MapDefaultEndpoints();
app.MapMindoraTasks(); // the dashboard's Tasks view (answers only the AppHost's admin token)
await app.RunAsync();
return 0;
