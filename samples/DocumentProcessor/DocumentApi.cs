using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Mindora.Integrations;
using Mindora.Integrations.Files;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Messaging;
using Mindora.Integrations.Search;
using Mindora.Integrations.Tasks;

namespace DocumentProcessor;

/// <summary>
/// The API: POST /documents (the same file name again makes a new version), GET /documents/{id},
/// /documents/{id}/content (302 to a signed link), /documents/{id}/versions, /documents/{id}/history (search, ask and delete: <see cref="SearchApi"/>,
/// <see cref="AskApi"/>, <see cref="DocumentRemovalApi"/>).
/// </summary>
public static class DocumentApi
{
    private const int MaxFileNameLength = 200;

    /// <summary>Registers options, request limits and the problem-details mapping of Mindora errors.</summary>
    public static IServiceCollection AddDocumentApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DocumentApiOptions>()
            .Bind(configuration.GetSection("Documents"))
            .Validate(o => o.MaxUploadBytes is > 0 and <= DocumentApiOptions.MaxUploadBytesLimit, $"Documents:MaxUploadBytes must be between 1 and {DocumentApiOptions.MaxUploadBytesLimit}.")
            .Validate(o => o.MaxSearchResults is >= 1 and <= 100, "Documents:MaxSearchResults must be between 1 and 100.")
            .Validate(o => o.ContentLinkLifetime >= TimeSpan.FromSeconds(1) && o.ContentLinkLifetime <= TimeSpan.FromDays(7), "Documents:ContentLinkLifetime must be between 00:00:01 and 7.00:00:00.")
            .Validate(o => o.SearchCacheTimeToLive >= TimeSpan.Zero && o.SearchCacheTimeToLive <= TimeSpan.FromDays(1), "Documents:SearchCacheTimeToLive must be between 00:00:00 (off) and 1.00:00:00.")
            .Validate(o => o.AskPassages is >= 1 and <= 20 && o.AskMinSimilarity is >= 0 and <= 1, "Documents:AskPassages must be between 1 and 20, Documents:AskMinSimilarity between 0 and 1.")
            .ValidateOnStart();
        services.AddSingleton<SearchResultsCache>();
        services.AddProblemDetails();
        services.AddExceptionHandler<MindoraProblemHandler>();

        // Let a request a little over the limit through to the endpoint, which answers 413 with a
        // problem; far larger bodies are cut off by Kestrel before they are read. Both limits
        // follow the bound options, so every configuration source applies to them alike.
        services.AddOptions<FormOptions>().Configure<IOptions<DocumentApiOptions>>((form, documents) =>
            form.MultipartBodyLengthLimit = documents.Value.MaxUploadBytes + (1024 * 1024));
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<DocumentApiOptions>>((kestrel, documents) =>
            kestrel.Limits.MaxRequestBodySize = documents.Value.MaxUploadBytes + (2 * 1024 * 1024));
        return services;
    }

    /// <summary>Maps the endpoints.</summary>
    public static WebApplication MapDocumentApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/documents", UploadAsync).DisableAntiforgery();
        app.MapGet("/documents/{id}", GetAsync);
        app.MapGet("/documents/{id}/history", HistoryAsync);
        app.MapGet("/documents/{id}/content", ContentAsync);
        app.MapGet("/documents/{id}/versions", VersionsAsync);
        app.MapGet("/", () => Results.Redirect("/index.html"));
        app.UseStaticFiles();
        return app;
    }

    private static async Task<IResult> UploadAsync(
        HttpRequest request,
        DocumentCatalog catalog,
        DocumentTypes types,
        ITaskQueue tasks,
        IOptions<DocumentApiOptions> options,
        IOptions<FormOptions> formOptions,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return Problem(StatusCodes.Status400BadRequest, "Not a form upload", "Send multipart/form-data with the document in the field 'file'.");
        }

        var limit = options.Value.MaxUploadBytes;
        var (form, unreadable) = await ReadFormAsync(request, formOptions.Value.MultipartBodyLengthLimit, limit, cancellationToken);
        if (unreadable is not null)
        {
            return unreadable;
        }

        if (form.Files.GetFile("file") is not { } file)
        {
            return Problem(StatusCodes.Status400BadRequest, "No file", "Send the document in the multipart field 'file'.");
        }

        if (file.Length == 0)
        {
            throw new MindoraEmptyContentException("The uploaded file");
        }

        if (file.Length > limit)
        {
            throw new MindoraPayloadTooLargeException("The uploaded file", limit);
        }

        var tags = DocumentTags.Normalize(form["tags"].ToString());
        var fileName = SafeFileName(file.FileName);
        var (extractor, contentType) = types.Resolve(fileName, file.ContentType);
        await using (var check = file.OpenReadStream())
        {
            await extractor.ValidateAsync(check, cancellationToken);
        }

        // The same file name again is a new version of that document (its original keeps every version).
        var existing = await catalog.FindByFileNameAsync(fileName, cancellationToken);
        var id = existing?.Id ?? DocumentCatalog.NewId();
        ObjectInfo stored;
        await using (var content = file.OpenReadStream())
        {
            stored = await catalog.StoreOriginalAsync(id, content, contentType, limit, cancellationToken);
        }

        var now = time.GetUtcNow();
        var record = existing is null
            ? new DocumentRecord(id, TitleFromFileName(fileName), fileName, contentType, stored.Size, stored.Sha256, DocumentStatus.Queued, null, now, now) { Tags = tags }
            : existing with { ContentType = contentType, Size = stored.Size, Sha256 = stored.Sha256, Status = DocumentStatus.Queued, Error = null, Tags = tags ?? existing.Tags, Steps = null };
        try
        {
            record = await catalog.SaveAsync(record, cancellationToken);
            await tasks.EnqueueAsync(
                IngestionTaskNames.ExtractText,
                new DocumentTaskPayload(id),
                new EnqueueOptions { Priority = TaskPriority.High, IdempotencyKey = $"{IngestionTaskNames.ExtractText}:{id}:{stored.VersionId}" },
                cancellationToken);
        }
        catch
        {
            // Nothing half-written: a new document that cannot be processed is not kept; a new version is dropped.
            if (existing is null)
            {
                await catalog.DeleteAsync(id, CancellationToken.None);
            }
            else
            {
                await catalog.DeleteOriginalVersionAsync(id, stored.VersionId, CancellationToken.None);
            }

            throw;
        }

        var services = request.HttpContext.RequestServices;
        await DocumentEvents.PublishAsync(services.GetService<IMindoraMessaging>(), "system_events", DocumentEvents.Uploaded, new DocumentEvent(id, "queued"), services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DocumentApi)), cancellationToken);
        return Results.Accepted($"/documents/{id}", DocumentView.From(record));
    }

    private static async Task<IResult> GetAsync(string id, DocumentCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.FindAsync(id, cancellationToken) is { } record
            ? Results.Ok(DocumentView.From(record))
            : Problem(StatusCodes.Status404NotFound, "No such document", $"There is no document '{Shorten(id)}'.");

    // The audit rows the Data capability wrote for the document: its insert and every change.
    private static async Task<IResult> HistoryAsync(string id, DocumentCatalog catalog, CancellationToken cancellationToken)
    {
        var history = await catalog.HistoryAsync(id, cancellationToken);
        return history.Count > 0
            ? Results.Ok(history.Select(DocumentChangeView.From).ToList())
            : Problem(StatusCodes.Status404NotFound, "No such document", $"There is no document '{Shorten(id)}'.");
    }

    // A redirect to a signed link: the bytes never pass through the API, and the link expires.
    private static async Task<IResult> ContentAsync(string id, DocumentCatalog catalog, IOptions<DocumentApiOptions> options, CancellationToken cancellationToken) =>
        await catalog.FindAsync(id, cancellationToken) is null
            ? Problem(StatusCodes.Status404NotFound, "No such document", $"There is no document '{Shorten(id)}'.")
            : Results.Redirect((await catalog.ContentLinkAsync(id, options.Value.ContentLinkLifetime, cancellationToken)).ToString());

    private static async Task<IResult> VersionsAsync(string id, DocumentCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.FindAsync(id, cancellationToken) is null
            ? Problem(StatusCodes.Status404NotFound, "No such document", $"There is no document '{Shorten(id)}'.")
            : Results.Ok((await catalog.VersionsAsync(id, cancellationToken)).Select(v => new DocumentVersionView(v.VersionId, v.Info!.Size, v.Info.Sha256, v.Info.ContentType, v.CreatedAt, v.IsLatest)).ToList());

    // Reads the form. A body larger than the form limit is 413; a malformed one (no boundary,
    // cut off, over the header or field limits) is 400, never a 500 or a misleading 413.
    private static async Task<(IFormCollection Form, IResult? Problem)> ReadFormAsync(HttpRequest request, long formLimit, long uploadLimit, CancellationToken cancellationToken)
    {
        var tooLarge = Problem(StatusCodes.Status413PayloadTooLarge, "Upload too large", $"The upload is larger than the limit of {uploadLimit} bytes.");
        if (request.ContentLength > formLimit)
        {
            return (FormCollection.Empty, tooLarge); // refused before a byte is read
        }

        // Counting what was read tells a body cut off by the limit from a malformed one, with or without Content-Length.
        var body = new ReadCountingStream(request.Body);
        request.Body = body;
        try
        {
            return (await request.ReadFormAsync(cancellationToken), null);
        }
        catch (Exception e) when (e is InvalidDataException or IOException && e is not Microsoft.AspNetCore.Http.BadHttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            return (FormCollection.Empty, body.BytesRead > formLimit
                ? tooLarge
                : Problem(StatusCodes.Status400BadRequest, "Malformed form", $"The multipart/form-data body could not be read: {e.Message}"));
        }
    }

    internal static IResult Problem(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail);

    private static string SafeFileName(string? name)
    {
        // Browsers may send a path; keep the last segment and drop control characters.
        var last = Path.GetFileName((name ?? string.Empty).Replace('\\', '/'));
        var clean = new string(last.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (clean.Length == 0)
        {
            return "document";
        }

        if (clean.Length <= MaxFileNameLength)
        {
            return clean;
        }

        // Shorten the stem, never the extension (it decides the document type), and never
        // between the two halves of a surrogate pair.
        var extension = Path.GetExtension(clean) is { Length: <= 16 } ext ? ext : string.Empty;
        var cut = MaxFileNameLength - extension.Length;
        if (char.IsHighSurrogate(clean[cut - 1]))
        {
            cut--;
        }

        return clean[..cut].TrimEnd() + extension;
    }

    // The title until extraction finds a better one: the file name without its extension.
    private static string TitleFromFileName(string fileName) =>
        Path.GetFileNameWithoutExtension(fileName) is { Length: > 0 } stem ? stem : fileName;

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
