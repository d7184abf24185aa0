using Mindora.Integrations.Search;
using Mindora.Integrations.Search.Elasticsearch;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Search;

/// <summary>
/// The search suite on a real Elasticsearch named by MINDORA_TEST_ELASTICSEARCH
/// (e.g. http://elastic:password@localhost:9200); skipped, saying so, when it is not set.
/// Each test uses a new app, so its indexes (<c>{app}-…</c>) never meet another test's.
/// </summary>
[RequiresServer(Variable, "Elasticsearch")]
public sealed class ElasticsearchSearchTests : SearchSuite
{
    private const string Variable = "MINDORA_TEST_ELASTICSEARCH";

    private protected override ISearchProvider Open(string? app = null) =>
        new ElasticsearchSearchProvider(ElasticsearchConnection.Parse(Environment.GetEnvironmentVariable(Variable)!, Variable), app ?? App, new MindoraSearchOptions(), null);
}
