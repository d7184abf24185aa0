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

var appName = builder.Configuration["Mindora:App"]
    ?? throw new MindoraConfigurationException("The worker needs an app name: set Mindora:App (environment Mindora__App, or --app NAME).");

builder.AddServiceDefaults();
builder.AddMindora(appName);
builder.AddMindoraWorker().AddDocumentIngestion();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapMindoraTasks(); // the dashboard's Tasks view (answers only the AppHost's admin token)
app.Run();
