using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Tests;

/// <summary>
/// A fact that needs an unpacked Elasticsearch 8.x distribution named by
/// MINDORA_TEST_ELASTICSEARCH_HOME (none can be installed on the CI machine): skipped, saying so,
/// without one.
/// </summary>
internal sealed class ElasticsearchDistributionFactAttribute : FactAttribute
{
    public const string Variable = "MINDORA_TEST_ELASTICSEARCH_HOME";

    public ElasticsearchDistributionFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"SKIPPED: no Elasticsearch distribution can be installed on this machine; set {Variable} to an unpacked Elasticsearch 8.x (the tar.gz from https://www.elastic.co/downloads/elasticsearch) to run it.";
        }
    }
}

/// <summary>The process runtime running a real Elasticsearch distribution.</summary>
public class ElasticsearchProcessTests
{
    [ElasticsearchDistributionFact]
    public async Task Elasticsearch_runs_as_a_process_requires_the_elastic_password_and_keeps_data_and_password_across_restarts()
    {
        var home = Environment.GetEnvironmentVariable(ElasticsearchDistributionFactAttribute.Variable)!;
        var dataDirectory = TestStack.NewTempDirectory();
        string? firstPassword = null;
        for (var run = 0; run < 2; run++)
        {
            var builder = TestStack.CreateBuilder("--runtime", "process", "--strict", $"--Mindora:Elasticsearch:Home={home}");
            builder.Options.DataDirectory = dataDirectory;
            var search = builder.AddElasticsearch("search").WithDataVolume();
            await using var app = await TestStack.StartHealthyAsync(builder, timeoutSeconds: 240);

            Assert.Equal(RuntimeKind.Process, app.Notifications.Get("search")!.Runtime);
            var password = (await search.Resource.Password.GetValueAsync(ValueResolutionContext.Run))!;
            firstPassword ??= password;
            Assert.Equal(firstPassword, password);
            Assert.DoesNotContain(app.Logs.GetRecent("search"), l => l.Text.Contains(password, StringComparison.Ordinal));

            using var http = new HttpClient { BaseAddress = new Uri(search.Resource.GetEndpoint("http").Allocated.Url) };
            using (var anonymous = await http.GetAsync(new Uri("/", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            }

            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"elastic:{password}")));
            if (run == 0)
            {
                using var body = new StringContent("""{"note":"still here"}""", Encoding.UTF8, "application/json");
                using var put = await http.PutAsync(new Uri("/kept/_doc/1?refresh=true", UriKind.Relative), body);
                Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            }

            using var get = await http.GetAsync(new Uri("/kept/_doc/1", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Contains("still here", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
