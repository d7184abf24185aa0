// Started by the Hosting tests as an executable of the AppHost: it gets Mindora__App, the
// connection string of its tasks store and the run's admin token from the AppHost's environment.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.AddMindoraTasks("tasks");
var app = builder.Build();
app.MapMindoraTasks();
app.Run();
