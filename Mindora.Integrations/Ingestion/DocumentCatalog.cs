using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mindora.Integrations.Data;
using Mindora.Integrations.Files;

namespace Mindora.Integrations.Ingestion;

/// <summary>
/// The documents of an app. Each document's record — metadata, status and processing results —
/// is a row of <see cref="DocumentsDb"/>, written through the Data capability, so every change
/// also writes an audit row in its transaction. Its bytes are objects of the app's
/// <c>documents</c> bucket: the original at <c>originals/{id}</c>, the extracted text at
/// <c>text/{id}.txt</c>. Every call is a unit of work of its own (a pooled context from a new
/// scope), so one catalog serves concurrent requests and tasks, and the API and the worker
/// (separate processes) always read what the other committed.
/// </summary>
public sealed partial class DocumentCatalog
{
    /// <summary>The logical bucket holding documents.</summary>
    public const string Bucket = "documents";

    /// <summary>The logical search index documents are indexed into.</summary>
    public const string SearchIndex = "documents";

    private readonly IMindoraFiles _files;
    private readonly IServiceScopeFactory _scopes;

    /// <summary>Creates the catalog over the app's files and its <see cref="DocumentsDb"/> (resolved from a new scope per call).</summary>
    public DocumentCatalog(IMindoraFiles files, IServiceScopeFactory scopes)
    {
        _files = files;
        _scopes = scopes;
    }

    /// <summary>Makes a new document id: a time-ordered (version 7) <see cref="Guid"/> as 32 lowercase hex characters.</summary>
    public static string NewId() => Guid.CreateVersion7().ToString("N");

    /// <summary>Whether <paramref name="id"/> has the shape of a document id (so it is safe in a key).</summary>
    public static bool IsValidId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);

    /// <summary>The key of a document's original bytes.</summary>
    public static string OriginalKey(string id) => $"originals/{CheckId(id)}";

    /// <summary>The key of a document's extracted text.</summary>
    public static string TextKey(string id) => $"text/{CheckId(id)}.txt";

    /// <summary>Creates the bucket if needed. (The tables are created by the migrations applied at start.)</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken = default) => _files.EnsureBucketAsync(Bucket, cancellationToken);

    /// <summary>Stores the original bytes of a new document (size limit and checks of the Files capability apply).</summary>
    public Task<ObjectInfo> StoreOriginalAsync(string id, Stream content, string contentType, long maxBytes, CancellationToken cancellationToken = default) =>
        _files.UploadAsync(Bucket, OriginalKey(id), content, new UploadOptions { ContentType = contentType, MaxBytes = maxBytes }, cancellationToken);

    /// <summary>
    /// Writes a record: inserts it, or replaces the stored values of an existing one (only what
    /// differs is written and audited). An explicit <see cref="DocumentRecord.CreatedAt"/> is
    /// kept on insert; <see cref="DocumentRecord.UpdatedAt"/> is the time of the save. A title
    /// longer than <see cref="Document.MaxTitleLength"/> is shortened. Returns the stored record.
    /// </summary>
    /// <exception cref="MindoraValidationException">The id is malformed, or a value is longer than its column.</exception>
    public async Task<DocumentRecord> SaveAsync(DocumentRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var key = KeyOf(record.Id);
        Validate(record);
        return await WithDbAsync(async db =>
        {
            var row = await db.Documents.FindAsync([key], cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                row = new Document { Id = key, CreatedAt = record.CreatedAt };
                db.Documents.Add(row);
            }

            Copy(record, row);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return ToRecord(row);
        }).ConfigureAwait(false);
    }

    /// <summary>The record of <paramref name="id"/>, or null (also for a malformed id, which never reaches the database).</summary>
    public async Task<DocumentRecord?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!IsValidId(id))
        {
            return null;
        }

        var key = Guid.ParseExact(id, "N");
        return await WithDbAsync(async db =>
            await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == key, cancellationToken).ConfigureAwait(false) is { } row
                ? ToRecord(row)
                : null).ConfigureAwait(false);
    }

    /// <summary>The record of <paramref name="id"/>; throws when it does not exist.</summary>
    /// <exception cref="MindoraNotFoundException">There is no such document.</exception>
    public async Task<DocumentRecord> GetAsync(string id, CancellationToken cancellationToken = default) =>
        await FindAsync(id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);

    /// <summary>
    /// Changes a stored record: <paramref name="change"/> gets the current record and returns the
    /// new one (<c>r =&gt; r with { … }</c>). Only values that differ are written, with one audit
    /// row; a change that changes nothing writes nothing. The id and the timestamps are not
    /// changed this way. Returns the stored record.
    /// </summary>
    /// <exception cref="MindoraNotFoundException">There is no such document.</exception>
    /// <exception cref="MindoraValidationException">The change would change the id, or a value is longer than its column.</exception>
    public async Task<DocumentRecord> UpdateAsync(string id, Func<DocumentRecord, DocumentRecord> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!IsValidId(id))
        {
            throw NotFound(id);
        }

        var key = Guid.ParseExact(id, "N");
        return await WithDbAsync(async db =>
        {
            var row = await db.Documents.FindAsync([key], cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
            var changed = change(ToRecord(row));
            if (changed.Id != id)
            {
                throw new MindoraValidationException(nameof(change), "A document's id cannot be changed.");
            }

            Validate(changed);
            Copy(changed, row);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return ToRecord(row);
        }).ConfigureAwait(false);
    }

    /// <summary>Sets the status (and error, and the title when given) of a document.</summary>
    /// <exception cref="MindoraNotFoundException">There is no such document.</exception>
    public Task<DocumentRecord> SetStatusAsync(string id, DocumentStatus status, string? error = null, string? title = null, CancellationToken cancellationToken = default) =>
        UpdateAsync(id, record => record with { Status = status, Error = error, Title = title ?? record.Title }, cancellationToken);

    /// <summary>
    /// The audit rows of a document, oldest first: its insert, each update (the changed values) and
    /// its delete. Empty for an unknown or malformed id.
    /// </summary>
    public async Task<IReadOnlyList<AuditLogEntry>> HistoryAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!IsValidId(id))
        {
            return [];
        }

        // The audit log keys a row by the key's invariant text: the Guid in its "D" form.
        var key = Guid.ParseExact(id, "N").ToString("D", CultureInfo.InvariantCulture);
        return await WithDbAsync<IReadOnlyList<AuditLogEntry>>(async db =>
            await db.AuditLog.AsNoTracking()
                .Where(a => a.EntityType == nameof(Document) && a.EntityKey == key)
                .OrderBy(a => a.OccurredAt).ThenBy(a => a.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>The newest document uploaded under <paramref name="fileName"/>, or null: a new upload of that name becomes its next version.</summary>
    public async Task<DocumentRecord?> FindByFileNameAsync(string fileName, CancellationToken cancellationToken = default) =>
        await WithDbAsync(async db =>
            await db.Documents.AsNoTracking().Where(d => d.FileName == fileName).OrderByDescending(d => d.CreatedAt)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) is { } row
                ? ToRecord(row)
                : null).ConfigureAwait(false);

    /// <summary>The stored versions of a document's original, newest first (deleted ones left out).</summary>
    public async Task<IReadOnlyList<ObjectVersion>> VersionsAsync(string id, CancellationToken cancellationToken = default) =>
        (await _files.ListVersionsAsync(Bucket, OriginalKey(id), cancellationToken).ConfigureAwait(false)).Where(v => !v.IsDeleteMarker).ToList();

    /// <summary>Removes one version of a document's original for good (an upload that could not be recorded).</summary>
    public Task<bool> DeleteOriginalVersionAsync(string id, string versionId, CancellationToken cancellationToken = default) =>
        _files.DeleteVersionAsync(Bucket, OriginalKey(id), versionId, cancellationToken);

    /// <summary>A link that downloads the current original without credentials until it expires.</summary>
    public Task<Uri> ContentLinkAsync(string id, TimeSpan expiresIn, CancellationToken cancellationToken = default) =>
        _files.GetSignedUrlAsync(Bucket, OriginalKey(id), new SignedUrlOptions { ExpiresIn = expiresIn }, cancellationToken);

    /// <summary>Opens a document's original bytes.</summary>
    public Task<ObjectDownload> OpenOriginalAsync(string id, CancellationToken cancellationToken = default) =>
        _files.DownloadAsync(Bucket, OriginalKey(id), cancellationToken);

    /// <summary>
    /// Removes a document: its row (with an audit row), its original, its text and the chunks and
    /// embeddings between pipeline steps; what does not exist is skipped. (Its entries in the search
    /// index and the vector collection are removed by <see cref="Pipeline.DocumentChunkIndex"/>.)
    /// </summary>
    /// <exception cref="MindoraValidationException">The id is malformed.</exception>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        var key = KeyOf(id);

        // The row goes first: a record never points at bytes that are gone.
        await WithDbAsync(db => db.DeleteAsync<Document>(key, cancellationToken)).ConfigureAwait(false);
        await _files.DeleteAsync(Bucket, OriginalKey(id), cancellationToken).ConfigureAwait(false);
        await _files.DeleteAsync(Bucket, TextKey(id), cancellationToken).ConfigureAwait(false);
        await _files.DeleteAsync(Bucket, ChunksKey(id), cancellationToken).ConfigureAwait(false);
        await _files.DeleteAsync(Bucket, EmbeddingsKey(id), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores extracted text.</summary>
    public async Task StoreTextAsync(string id, string text, CancellationToken cancellationToken = default)
    {
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(text));
        await _files.UploadAsync(Bucket, TextKey(id), content, new UploadOptions { ContentType = "text/plain" }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads extracted text.</summary>
    public async Task<string> ReadTextAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var download = await _files.DownloadAsync(Bucket, TextKey(id), cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(download.Content, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> WithDbAsync<T>(Func<DocumentsDb, Task<T>> work)
    {
        await using var scope = _scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<DocumentsDb>()).ConfigureAwait(false);
    }

    private static DocumentRecord ToRecord(Document row) =>
        new(row.Id.ToString("N"), row.Title, row.FileName, row.ContentType, row.Size, row.Sha256, row.Status, row.Error, row.CreatedAt, row.UpdatedAt)
        {
            Characters = row.Characters,
            Pages = row.Pages,
            IndexTaskId = row.IndexTaskId,
            Tags = row.Tags,
            Chunks = row.Chunks,
            Steps = row.Steps,
        };

    private static void Copy(DocumentRecord from, Document to)
    {
        to.Title = DocumentTitles.Shorten(from.Title, Document.MaxTitleLength);
        to.FileName = from.FileName;
        to.ContentType = from.ContentType;
        to.Size = from.Size;
        to.Sha256 = from.Sha256;
        to.Status = from.Status;
        to.Error = from.Error;
        to.Characters = from.Characters;
        to.Pages = from.Pages;
        to.IndexTaskId = from.IndexTaskId;
        to.Tags = from.Tags;
        to.Chunks = from.Chunks;
        to.Steps = from.Steps;
    }

    // What the columns cannot hold is refused here, with a message, rather than by the database.
    private static void Validate(DocumentRecord record)
    {
        CheckLength(record.Title, int.MaxValue, nameof(record.Title), required: true);
        CheckLength(record.FileName, Document.MaxNameLength, nameof(record.FileName), required: true);
        CheckLength(record.ContentType, Document.MaxNameLength, nameof(record.ContentType), required: true);
        CheckLength(record.Sha256, 64, nameof(record.Sha256), required: true);
        CheckLength(record.IndexTaskId, 64, nameof(record.IndexTaskId), required: false);
        CheckLength(record.Tags, Document.MaxTagsLength, nameof(record.Tags), required: false);
        CheckLength(record.Steps, Document.MaxStepsLength, nameof(record.Steps), required: false);
        if (record.Size < 0)
        {
            throw new MindoraValidationException(nameof(record.Size), "A document's size cannot be negative.");
        }
    }

    private static void CheckLength(string? value, int max, string name, bool required)
    {
        if (value is null && required)
        {
            throw new MindoraValidationException(name, $"A document's {name} is required.");
        }

        if (value?.Length > max)
        {
            throw new MindoraValidationException(name, $"A document's {name} has {value.Length} characters; at most {max} are allowed.");
        }
    }

    private static Guid KeyOf(string id) => Guid.ParseExact(CheckId(id), "N");

    private static MindoraNotFoundException NotFound(string? id) =>
        new($"Document '{(id is { Length: > 40 } ? id[..40] + "…" : id)}'");

    private static string CheckId(string id) =>
        IsValidId(id) ? id : throw new MindoraValidationException(nameof(id), $"'{id}' is not a document id: 32 lowercase hex characters are expected.");
}
