using DocumentProcessor;

// DocumentProcessor: upload a document, the worker extracts and indexes it in the background,
// search finds it with the matching words highlighted.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMindora("docs");
builder.Services.AddMindoraDocuments();
builder.Services.AddDocumentApi(builder.Configuration);

var app = builder.Build();
app.UseExceptionHandler();
app.MapDefaultEndpoints();
app.MapDocumentApi();
await app.Services.GetRequiredService<Mindora.Integrations.Ingestion.DocumentCatalog>().EnsureCreatedAsync();
app.Run();
