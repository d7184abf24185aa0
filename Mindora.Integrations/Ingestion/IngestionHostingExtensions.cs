using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Ingestion.Extractors;
using Mindora.Integrations.Worker;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the document catalog, the text extractors and the built-in ingestion handlers.</summary>
public static class IngestionHostingExtensions
{
    /// <summary>The document catalog and extractors, for an API that accepts documents (needs Files).</summary>
    public static IServiceCollection AddMindoraDocuments(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDocumentTextExtractor, PlainTextExtractor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDocumentTextExtractor, OfficeDocumentExtractor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDocumentTextExtractor, PdfExtractor>());
        services.TryAddSingleton<DocumentTypes>();
        services.TryAddSingleton<DocumentCatalog>();
        return services;
    }

    /// <summary>The built-in <c>extract-text</c> and <c>index-document</c> handlers (needs Files, Tasks and Search).</summary>
    public static MindoraWorkerBuilder AddDocumentIngestion(this MindoraWorkerBuilder worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        worker.Services.AddMindoraDocuments();
        return worker
            .AddHandler<ExtractTextHandler>(IngestionTaskNames.ExtractText)
            .AddHandler<IndexDocumentHandler>(IngestionTaskNames.IndexDocument);
    }
}
