using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mindora.Integrations.Files;

namespace Mindora.Integrations.Ingestion;

/// <summary>
/// The documents of an app and their status, kept next to their bytes in the app's
/// <c>documents</c> bucket: the original at <c>originals/{id}</c>, the extracted text at
/// <c>text/{id}.txt</c> and the record at <c>records/{id}.json</c>. Every write is one atomic
/// object upload, so the API and the worker (separate processes) always read a whole record.
/// (The relational data capability will take the records over; the layout stays behind this class.)
/// </summary>
public sealed class DocumentCatalog
{
    /// <summary>The logical bucket holding documents.</summary>
    public const string Bucket = "documents";

    /// <summary>The logical search index documents are indexed into.</summary>
    public const string SearchIndex = "documents";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };
    private readonly IMindoraFiles _files;
    private readonly TimeProvider _time;

    /// <summary>Creates the catalog over the app's files.</summary>
    public DocumentCatalog(IMindoraFiles files, TimeProvider time)
    {
        _files = files;
        _time = time;
    }

    /// <summary>Makes a new random document id.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Whether <paramref name="id"/> has the shape of a document id (so it is safe in a key).</summary>
    public static bool IsValidId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);

    /// <summary>The key of a document's original bytes.</summary>
    public static string OriginalKey(string id) => $"originals/{CheckId(id)}";

    /// <summary>The key of a document's extracted text.</summary>
    public static string TextKey(string id) => $"text/{CheckId(id)}.txt";

    private static string RecordKey(string id) => $"records/{CheckId(id)}.json";

    /// <summary>Creates the bucket if needed.</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken = default) => _files.EnsureBucketAsync(Bucket, cancellationToken);

    /// <summary>Stores the original bytes of a new document (size limit and checks of the Files capability apply).</summary>
    public Task<ObjectInfo> StoreOriginalAsync(string id, Stream content, string contentType, long maxBytes, CancellationToken cancellationToken = default) =>
        _files.UploadAsync(Bucket, OriginalKey(id), content, new UploadOptions { ContentType = contentType, MaxBytes = maxBytes }, cancellationToken);

    /// <summary>Writes a record (create or replace).</summary>
    public async Task SaveAsync(DocumentRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(record, Json));
        await _files.UploadAsync(Bucket, RecordKey(record.Id), content, new UploadOptions { ContentType = "application/json" }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The record of <paramref name="id"/>, or null.</summary>
    public async Task<DocumentRecord?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!IsValidId(id))
        {
            return null;
        }

        try
        {
            await using var download = await _files.DownloadAsync(Bucket, RecordKey(id), cancellationToken).ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync<DocumentRecord>(download.Content, Json, cancellationToken).ConfigureAwait(false);
        }
        catch (MindoraNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The record of <paramref name="id"/>; throws when it does not exist.</summary>
    public async Task<DocumentRecord> GetAsync(string id, CancellationToken cancellationToken = default) =>
        await FindAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new MindoraNotFoundException($"Document '{id}'");

    /// <summary>Sets the status (and error) of a document.</summary>
    public async Task<DocumentRecord> SetStatusAsync(string id, DocumentStatus status, string? error = null, string? title = null, CancellationToken cancellationToken = default)
    {
        var record = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        var updated = record with { Status = status, Error = error, Title = title ?? record.Title, UpdatedAt = _time.GetUtcNow() };
        await SaveAsync(updated, cancellationToken).ConfigureAwait(false);
        return updated;
    }

    /// <summary>Opens a document's original bytes.</summary>
    public Task<ObjectDownload> OpenOriginalAsync(string id, CancellationToken cancellationToken = default) =>
        _files.DownloadAsync(Bucket, OriginalKey(id), cancellationToken);

    /// <summary>Removes a document's record, original and text (used when an upload cannot be queued).</summary>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        await _files.DeleteAsync(Bucket, RecordKey(id), cancellationToken).ConfigureAwait(false);
        await _files.DeleteAsync(Bucket, OriginalKey(id), cancellationToken).ConfigureAwait(false);
        await _files.DeleteAsync(Bucket, TextKey(id), cancellationToken).ConfigureAwait(false);
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

    private static string CheckId(string id) =>
        IsValidId(id) ? id : throw new MindoraValidationException(nameof(id), $"'{id}' is not a document id: 32 lowercase hex characters are expected.");
}
