using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mindora.Integrations;
using Mindora.Integrations.Data;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Ingestion.Extractors;
using Mindora.Integrations.Ingestion.Pipeline;
using Microsoft.Extensions.Options;
using Mindora.Integrations.Worker;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the document catalog, its database, the text extractors and the built-in ingestion handlers.</summary>
public static class IngestionHostingExtensions
{
    /// <summary>
    /// The document catalog and extractors, for an API that accepts documents and for the worker
    /// that processes them (needs Files, and the database the connection string
    /// <paramref name="connectionName"/> names). Adds <see cref="DocumentsDb"/> through
    /// <c>AddMindoraDbContext</c> and applies its migrations when the host starts (unless
    /// <c>Mindora:Data:MigrateOnStart</c> is set to false, which leaves them to you). Calling it
    /// again adds nothing.
    /// </summary>
    /// <exception cref="MindoraConfigurationException">No app name, or the connection string is missing or unusable.</exception>
    public static IHostApplicationBuilder AddMindoraDocuments(this IHostApplicationBuilder builder, string connectionName = "db")
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (MindoraRegistration.IsRegistered<DocumentCatalog>(services))
        {
            return builder;
        }

        // Before AddMindoraDbContext binds Mindora:Data, so configuration can still turn it off:
        // the catalog cannot work without its tables.
        services.AddOptions<MindoraDataOptions>(typeof(DocumentsDb).FullName).Configure(o => o.MigrateOnStart = true);
        builder.AddMindoraDbContext<DocumentsDb>(connectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DocumentsMigrator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDocumentTextExtractor, PlainTextExtractor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDocumentTextExtractor, OfficeDocumentExtractor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDocumentTextExtractor, PdfExtractor>());
        services.TryAddSingleton<DocumentTypes>();
        services.TryAddSingleton<DocumentCatalog>();
        services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.SectionName);
        services.TryAddSingleton(sp => new TextPartitioner(sp.GetRequiredService<IOptions<IngestionOptions>>().Value));

        // Needs Search (and Vectors with Embeddings for semantic search); resolved when first used.
        services.TryAddSingleton<DocumentChunkIndex>();
        return builder;
    }

    /// <summary>
    /// The built-in pipeline handlers <c>extract-text</c> (extract and partition),
    /// <c>embed-document</c> and <c>index-document</c> (save) (needs Files, Tasks, Search and the
    /// database <paramref name="connectionName"/> names; with Vectors, chunks are embedded and
    /// stored as vectors too; with Cache, cached search results are dropped whenever the index changes).
    /// </summary>
    public static MindoraWorkerBuilder AddDocumentIngestion(this MindoraWorkerBuilder worker, string connectionName = "db")
    {
        ArgumentNullException.ThrowIfNull(worker);
        worker.Host.AddMindoraDocuments(connectionName);
        worker.Host.Services.TryAddSingleton<IngestionTelemetry>();
        return worker
            .AddHandler<ExtractTextHandler>(IngestionTaskNames.ExtractText)
            .AddHandler<EmbedDocumentHandler>(IngestionTaskNames.EmbedDocument)
            .AddHandler<IndexDocumentHandler>(IngestionTaskNames.IndexDocument);
    }
}
