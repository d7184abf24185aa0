using Mindora.Integrations;
using Mindora.Integrations.Cache;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Ingestion.Pipeline;

namespace DocumentProcessor;

/// <summary>DELETE /documents/{id}: removes the document's record, file (every version), text, chunks and vectors.</summary>
public static partial class DocumentRemovalApi
{
    /// <summary>Maps the endpoint.</summary>
    public static WebApplication MapDocumentRemoval(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapDelete("/documents/{id}", DeleteAsync);
        return app;
    }

    private static async Task<IResult> DeleteAsync(string id, DocumentCatalog catalog, DocumentChunkIndex index, IServiceProvider services, ILogger<DocumentChunkIndex> logger, CancellationToken cancellationToken)
    {
        if (await catalog.FindAsync(id, cancellationToken) is null)
        {
            return DocumentApi.Problem(StatusCodes.Status404NotFound, "No such document", $"There is no document '{SearchApi.Printable(id)}'.");
        }

        // The record first: a worker saving this document meanwhile sees it gone and removes what it wrote.
        await catalog.DeleteAsync(id, cancellationToken);
        foreach (var version in await catalog.VersionsAsync(id, cancellationToken))
        {
            await catalog.DeleteOriginalVersionAsync(id, version.VersionId, cancellationToken);
        }

        await index.RemoveAsync(id, cancellationToken: cancellationToken);
        if (services.GetService<IMindoraCache>() is { } cache)
        {
            try
            {
                await cache.RemoveByPrefixAsync(DocumentSearchCache.Prefix, cancellationToken);
            }
            catch (MindoraException e)
            {
                CacheNotDropped(logger, e.Message);
            }
        }

        return Results.NoContent();
    }

    [LoggerMessage(1, LogLevel.Warning, "Cached search results could not be dropped after a delete; they expire with their time to live: {Reason}")]
    private static partial void CacheNotDropped(ILogger logger, string reason);
}
