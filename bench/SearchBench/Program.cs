using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Search;

// Usage: dotnet run -c Release --project bench/SearchBench -- [documents=100000] [queries=1000] [maxScoredMatches=5000]
// Indexes the same synthetic chunks (about 60 words: a Zipf-like English vocabulary plus some
// Chinese) twice — through IMindoraSearch (embedded: bulk into a mapped index, CJK bigrams, JSON
// source) and as raw FTS5 inserts (unicode61, one table) — then runs the same one- and two-word
// queries on both: Mindora's QueryAsync (Match, top 10, with the total and highlights) against a
// raw MATCH … ORDER BY rank LIMIT 10 plus count(*). Sequential, one query at a time.
var documents = Arg(0, 100_000);
var queries = Arg(1, 1_000);
var bound = Arg(2, 5_000);
var dir = Path.Combine(Path.GetTempPath(), "mindora-searchbench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(dir);
try
{
    var random = new Random(42);
    var vocabulary = Enumerable.Range(0, 5000).Select(i => Word(random, i)).ToArray();
    string[] chinese = ["向量数据库", "全文检索", "文档处理", "语义搜索", "数据管道"];
    var texts = Enumerable.Range(0, documents).Select(_ => Text(random, vocabulary, chinese)).ToArray();
    var terms = Enumerable.Range(0, queries).Select(i => i % 5 == 4 ? chinese[random.Next(chinese.Length)]
        : i % 2 == 0 ? vocabulary[Zipf(random, 2000)] : vocabulary[Zipf(random, 2000)] + " " + vocabulary[Zipf(random, 2000)]).ToArray();
    Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg")[..14] : "n/a")}");
    Console.WriteLine($".NET {Environment.Version}; {Environment.ProcessorCount} cores; {documents} documents; {queries} queries");

    // Mindora, embedded.
    var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
    builder.Configuration["ConnectionStrings:elasticsearch"] = "Embedded=" + Path.Combine(dir, "mindora");
    builder.AddMindora("bench");
    using var host = builder.Build();
    var search = host.Services.GetRequiredService<IMindoraSearch>();
    await search.CreateIndexAsync("chunks", new SearchMapping(new Dictionary<string, SearchFieldType> { ["body"] = SearchFieldType.Text, ["doc"] = SearchFieldType.Keyword }));
    var clock = Stopwatch.StartNew();
    for (var start = 0; start < documents; start += 1000)
    {
        var batch = Enumerable.Range(start, Math.Min(1000, documents - start))
            .Select(i => new BulkOperation("c" + i.ToString(CultureInfo.InvariantCulture), new JsonObject { ["body"] = texts[i], ["doc"] = "d" + (i / 20).ToString(CultureInfo.InvariantCulture) }))
            .ToList();
        var failed = (await search.BulkAsync("chunks", batch)).Count(r => !r.Succeeded);
        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} documents failed");
        }
    }

    var mindoraIndex = clock.Elapsed;

    // The same index through a second host that scores only the newest matches (Mindora:Search:MaxScoredMatches).
    var boundedBuilder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
    boundedBuilder.Configuration["ConnectionStrings:elasticsearch"] = "Embedded=" + Path.Combine(dir, "mindora");
    boundedBuilder.Configuration["Mindora:Search:MaxScoredMatches"] = bound.ToString(CultureInfo.InvariantCulture);
    boundedBuilder.AddMindora("bench");
    using var boundedHost = boundedBuilder.Build();
    var boundedSearch = boundedHost.Services.GetRequiredService<IMindoraSearch>();

    // Raw FTS5.
    await using var raw = new SqliteConnection($"Data Source={Path.Combine(dir, "raw.db")}");
    await raw.OpenAsync();
    await Exec(raw, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')");
    clock.Restart();
    for (var start = 0; start < documents; start += 1000)
    {
        await using var tx = await raw.BeginTransactionAsync();
        await using var insert = raw.CreateCommand();
        insert.CommandText = "INSERT INTO t (body) VALUES (@b)";
        var body = insert.Parameters.Add("@b", SqliteType.Text);
        for (var i = start; i < Math.Min(start + 1000, documents); i++)
        {
            body.Value = texts[i];
            await insert.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
    }

    var rawIndex = clock.Elapsed;

    var ours = new List<double>(queries);
    var oursBounded = new List<double>(queries);
    var theirs = new List<double>(queries);
    long oursHits = 0, rawHits = 0;
    for (var round = 0; round < 2; round++) // the first round warms both up and is not counted
    {
        ours.Clear();
        oursBounded.Clear();
        theirs.Clear();
        foreach (var term in terms)
        {
            clock.Restart();
            var results = await search.QueryAsync("chunks", new SearchRequest(SearchQueries.Match("body", term)) { Size = 10, Highlight = ["body"] });
            ours.Add(clock.Elapsed.TotalMilliseconds);
            oursHits += results.Total;

            clock.Restart();
            await boundedSearch.QueryAsync("chunks", new SearchRequest(SearchQueries.Match("body", term)) { Size = 10, Highlight = ["body"] });
            oursBounded.Add(clock.Elapsed.TotalMilliseconds);

            clock.Restart();
            await using var count = raw.CreateCommand();
            count.CommandText = "SELECT count(*) FROM t WHERE t MATCH @q";
            count.Parameters.AddWithValue("@q", Quote(term));
            rawHits += (long)(await count.ExecuteScalarAsync())!;
            await using var page = raw.CreateCommand();
            page.CommandText = "SELECT rowid, body, highlight(t, 0, '<mark>', '</mark>') FROM t WHERE t MATCH @q ORDER BY rank LIMIT 10";
            page.Parameters.AddWithValue("@q", Quote(term));
            await using var reader = await page.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                _ = reader.GetString(2);
            }

            theirs.Add(clock.Elapsed.TotalMilliseconds);
        }
    }

    Console.WriteLine($"load average at the end {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg")[..14] : "n/a")}");
    Console.WriteLine($"index: Mindora {mindoraIndex.TotalSeconds:F1} s ({documents / mindoraIndex.TotalSeconds:F0} docs/s), raw FTS5 {rawIndex.TotalSeconds:F1} s ({documents / rawIndex.TotalSeconds:F0} docs/s), ratio {mindoraIndex / rawIndex:F2}x");
    Console.WriteLine($"query Mindora: p50 {P(ours, 0.5):F2} ms, p95 {P(ours, 0.95):F2} ms, p99 {P(ours, 0.99):F2} ms");
    Console.WriteLine($"query Mindora, MaxScoredMatches {bound}: p50 {P(oursBounded, 0.5):F2} ms, p95 {P(oursBounded, 0.95):F2} ms, p99 {P(oursBounded, 0.99):F2} ms");
    Console.WriteLine($"query raw    : p50 {P(theirs, 0.5):F2} ms, p95 {P(theirs, 0.95):F2} ms, p99 {P(theirs, 0.99):F2} ms");
    Console.WriteLine($"p95 ratio Mindora/raw {P(ours, 0.95) / P(theirs, 0.95):F2}x; total hits (2 rounds) Mindora {oursHits}, raw {rawHits} (raw finds Chinese only as whole runs)");
}
finally
{
    Directory.Delete(dir, recursive: true);
}

int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

static double P(List<double> values, double q)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
}

static string Quote(string text) => string.Join(' ', text.Split(' ').Select(w => "\"" + w + "\""));

static async Task Exec(SqliteConnection connection, string sql)
{
    await using var command = connection.CreateCommand();
    command.CommandText = sql;
    await command.ExecuteNonQueryAsync();
}

static int Zipf(Random random, int n) => (int)Math.Min(n - 1, Math.Floor(Math.Pow(n, random.NextDouble())) - 1 + random.Next(2));

static string Word(Random random, int i)
{
    var letters = new StringBuilder();
    var length = 3 + (i % 7);
    for (var k = 0; k < length; k++)
    {
        letters.Append((char)('a' + random.Next(26)));
    }

    return letters.ToString();
}

static string Text(Random random, string[] vocabulary, string[] chinese)
{
    var words = new List<string>(64);
    for (var k = 0; k < 60; k++)
    {
        words.Add(random.Next(20) == 0 ? chinese[random.Next(chinese.Length)] + "是" + chinese[random.Next(chinese.Length)] : vocabulary[Zipf(random, vocabulary.Length)]);
    }

    return string.Join(' ', words);
}
