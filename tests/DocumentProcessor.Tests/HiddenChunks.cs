using Microsoft.Extensions.DependencyInjection;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Ingestion.Pipeline;

namespace DocumentProcessor.Tests;

/// <summary>Writes a one-chunk document straight into the chunk index, behind the worker's back (so nothing drops cached searches).</summary>
public static class HiddenChunks
{
    public static async Task<string> SaveAsync(IServiceProvider services, string title, string text)
    {
        var id = DocumentCatalog.NewId();
        var now = DateTimeOffset.UtcNow;
        var record = new DocumentRecord(id, title, $"{title}.txt", "text/plain", text.Length, new string('0', 64), DocumentStatus.Indexed, null, now, now);
        await services.GetRequiredService<DocumentChunkIndex>().SaveAsync(record, [new DocumentChunk(id, 0, text, null, null, TokenEstimate.Count(text))], null);
        return id;
    }
}
