using System.Diagnostics;
using System.Globalization;
using DataBench;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Data;
using Npgsql;

// Usage: dotnet run -c Release --project bench/DataBench -- [seconds=10] [rounds=3] [concurrency=100] [rates=2000,5000] [rows=100000]
// Three ways to run one indexed single-row query (a primary-key lookup) against one PostgreSQL,
// with the same role, pool size (= concurrency) and concurrency, taking turns round by round:
// raw Npgsql, EF Core through AddMindoraDbContext (GetByIdNoTrackingAsync, the compiled read
// path, and GetByIdAsync, which tracks), and plain EF Core (AddDbContextPool + UseNpgsql,
// FindAsync) to tell EF Core's own cost from Mindora's.
// Loads: saturation (every worker loops without pause) and paced (all workers together offer
// a fixed number of queries per second, once per rate given).
var seconds = Arg(0, 10);
var rounds = Arg(1, 3);
var concurrency = Arg(2, 100);
var rates = (args.Length > 3 ? args[3] : "2000,5000").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();
var rows = Arg(4, 100_000);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var ct = cancel.Token;

Console.WriteLine("Starting PostgreSQL through Mindora.Hosting (process runtime)…");
await using var server = await BenchServer.StartAsync(maxConnections: (2 * concurrency) + 20, ct);
Console.WriteLine($"PostgreSQL {server.Version}; .NET {Environment.Version}; {Environment.ProcessorCount} cores; {concurrency} connections; {seconds} s per run; {rounds} rounds");

var rawConnection = new NpgsqlConnectionStringBuilder(server.AppConnectionString) { MaxPoolSize = concurrency, SearchPath = "app_" + BenchServer.App }.ConnectionString;
await using var raw = new NpgsqlDataSourceBuilder(rawConnection).Build();

var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Configuration["ConnectionStrings:db"] = server.AppConnectionString;
builder.AddMindora(BenchServer.App);
builder.AddMindoraDbContext<BenchContext>("db", o => o.MaxPoolSize = concurrency);
builder.Services.AddDbContextPool<PlainBenchContext>(o => o.UseNpgsql(raw));
using var host = builder.Build();

await using (var scope = host.Services.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<BenchContext>();
    await db.Database.EnsureCreatedAsync(ct);
    var seeding = Stopwatch.StartNew();
    await db.BulkInsertAsync(Enumerable.Range(1, rows).Select(i => new Item { Id = i, Name = $"item {i}", Value = i % 1000 }), ct);
    Console.WriteLine($"Seeded {rows} rows with BulkInsertAsync (binary COPY) in {seeding.Elapsed.TotalSeconds:F2} s");
    await db.Database.ExecuteSqlRawAsync("ANALYZE items", ct);
}

async Task RawQueryAsync(int id, CancellationToken token)
{
    await using var command = raw.CreateCommand("SELECT \"Id\", \"Name\", \"Value\" FROM items WHERE \"Id\" = $1");
    command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = id });
    await using var reader = await command.ExecuteReaderAsync(token);
    if (!await reader.ReadAsync(token))
    {
        throw new InvalidOperationException($"Row {id} is missing.");
    }

    GC.KeepAlive(new Item { Id = reader.GetInt32(0), Name = reader.GetString(1), Value = reader.GetInt32(2) });
}

async Task MindoraQueryAsync(int id, CancellationToken token)
{
    // One scope per query, as each request of a web app gets its own context.
    await using var scope = host.Services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<BenchContext>();
    _ = await db.GetByIdNoTrackingAsync<Item>(id, token) ?? throw new InvalidOperationException($"Row {id} is missing.");
}

async Task MindoraTrackedQueryAsync(int id, CancellationToken token)
{
    await using var scope = host.Services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<BenchContext>();
    _ = await db.GetByIdAsync<Item>(id, token) ?? throw new InvalidOperationException($"Row {id} is missing.");
}

async Task PlainEfQueryAsync(int id, CancellationToken token)
{
    await using var scope = host.Services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<PlainBenchContext>();
    _ = await db.Items.FindAsync([id], token) ?? throw new InvalidOperationException($"Row {id} is missing.");
}

var variants = new (string Name, Func<int, CancellationToken, Task> Query)[]
{
    ("raw Npgsql", RawQueryAsync),
    ("EF Core via Mindora", MindoraQueryAsync),
    ("Mindora, tracked", MindoraTrackedQueryAsync),
    ("plain EF Core", PlainEfQueryAsync),
};
foreach (var (name, query) in variants)
{
    await LoadRun.SaturateAsync("warm-up", concurrency, TimeSpan.FromSeconds(3), query, rows, ct);
}

var results = new List<(string Load, LoadResult Result)>();
var duration = TimeSpan.FromSeconds(seconds);
for (var round = 1; round <= rounds; round++)
{
    foreach (var (name, query) in variants)
    {
        results.Add(("saturation", await LoadRun.SaturateAsync(name, concurrency, duration, query, rows, ct)));
        foreach (var rate in rates)
        {
            results.Add(($"paced {rate}/s", await LoadRun.PacedAsync(name, concurrency, rate, duration, query, rows, ct)));
        }

        foreach (var (load, result) in results.TakeLast(1 + rates.Length))
        {
            Console.WriteLine(Invariant($"round {round} {load,-12} {name,-20} {result.Throughput,7:F0} q/s  p50 {result.P50Ms,6:F2} ms  p95 {result.P95Ms,6:F2} ms  p99 {result.P99Ms,7:F2} ms  client CPU {result.ClientCpuMicrosecondsPerQuery,5:F0} µs/q"));
        }
    }
}

Console.WriteLine();
Console.WriteLine("Medians of the rounds (by throughput for saturation, by p95 for paced):");
Console.WriteLine("| load | client | throughput | p50 | p95 | p99 | client CPU per query |");
Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
var medians = new Dictionary<(string, string), LoadResult>();
foreach (var group in results.GroupBy(r => (r.Load, r.Result.Name)))
{
    var ordered = group.Select(g => g.Result).OrderBy(r => group.Key.Load == "saturation" ? -r.Throughput : r.P95Ms).ToList();
    var median = medians[group.Key] = ordered[ordered.Count / 2];
    Console.WriteLine(Invariant($"| {group.Key.Load} | {group.Key.Name} | {median.Throughput:F0} q/s | {median.P50Ms:F2} ms | {median.P95Ms:F2} ms | {median.P99Ms:F2} ms | {median.ClientCpuMicrosecondsPerQuery:F0} µs |"));
}

foreach (var load in medians.Keys.Select(k => k.Item1).Distinct())
{
    var rawResult = medians[(load, "raw Npgsql")];
    var plain = medians[(load, "plain EF Core")];
    foreach (var name in new[] { "EF Core via Mindora", "Mindora, tracked" })
    {
        var mindora = medians[(load, name)];
        Console.WriteLine(Invariant($"{load}, {name}: p95 {mindora.P95Ms / rawResult.P95Ms:F2}x raw's, raw/Mindora throughput {rawResult.Throughput / mindora.Throughput:F2}x, client CPU {mindora.ClientCpuMicrosecondsPerQuery / rawResult.ClientCpuMicrosecondsPerQuery:F2}x raw's; vs plain EF p95 {mindora.P95Ms / plain.P95Ms:F2}x, throughput {plain.Throughput / mindora.Throughput:F2}x"));
    }
}

return 0;

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

int Arg(int index, int fallback) =>
    args.Length > index && int.TryParse(args[index], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
