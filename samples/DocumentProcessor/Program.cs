using DocumentProcessor;

// DocumentProcessor: upload a document, the worker extracts and indexes it in the background,
// search finds its chunks (keyword, semantic or hybrid) with the matching words highlighted,
// and /ask answers from them.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMindora("docs");
builder.AddMindoraDocuments(); // the catalog on the "db" database; its migrations run at start
builder.AddMindoraChat(); // an OpenAI-compatible chat model for /ask when Mindora:Chat:Endpoint is set
builder.Services.AddDocumentApi(builder.Configuration);
builder.Services.AddNotifications(builder.Configuration); // GET /notifications: this instance's events as Server-Sent Events

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages(); // errors without a body (404, 405, a bad query value) become problem+json too
app.MapDefaultEndpoints();
app.MapDocumentApi();
app.MapSearchApi();
app.MapAskApi();
app.MapDocumentRemoval();
app.MapMindoraTasks(); // the dashboard's Tasks view (answers only the AppHost's admin token)
app.MapNotifications();
app.MapMindoraFiles(); // serves the signed links of /documents/{id}/content when files are embedded
await app.Services.GetRequiredService<Mindora.Integrations.Ingestion.DocumentCatalog>().EnsureCreatedAsync();
app.Run();

/// <summary>The entry point, public so that tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
