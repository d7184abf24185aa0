// Cache GET/SET throughput: 50 concurrent callers on ONE multiplexed connection, against
// redis-benchmark (50 connections, one request in flight each) on the same redis-server, in the
// same run; for reference also redis-benchmark with one connection and 50 pipelined requests (the
// C analogue of one multiplexed connection). Usage: dotnet run -c Release --project bench/CacheBench [requests=200000] [clients=50] [rounds=3]
using System.Globalization;
using CacheBench;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Cache;
using Mindora.Integrations.Redis;

var requests = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;

using var server = await RedisServerProcess.StartAsync("redis-server");
var connectionString = $"127.0.0.1:{server.Port}";
Console.WriteLine($"redis-server on port {server.Port}; {requests} requests per test, {clients} callers, {rounds} rounds (median).");

// The raw RESP client, and the typed cache on top of it (JSON, app prefix, validation, telemetry).
await using var client = new RedisClient(RedisConnectionSettings.Parse(connectionString, "bench"));
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Configuration.AddInMemoryCollection([new("ConnectionStrings:redis", connectionString), new("Mindora:App", "bench")]);
builder.AddMindoraCache();
using var host = builder.Build();
var cache = host.Services.GetRequiredService<IMindoraCache>();
var value = "xxx"u8.ToArray(); // redis-benchmark's default 3-byte payload

var results = new Dictionary<string, List<double>>();
void Record(string name, double opsPerSecond) =>
    (results.TryGetValue(name, out var list) ? list : results[name] = []).Add(opsPerSecond);

// Warm-up: JIT, connections, the server's key.
await Throughput.MeasureAsync(clients, 20_000, i => client.ExecuteAsync(RedisRequest.Create("SET", "key:__rand_int__", value), CancellationToken.None));
await Throughput.MeasureAsync(clients, 20_000, i => cache.SetAsync("key", "xxx"));
await Throughput.MeasureAsync(clients, 20_000, i => cache.GetAsync<string>("key"));

for (var round = 1; round <= rounds; round++)
{
    var (baselineSet, baselineGet) = await RedisBenchmarkTool.RunAsync("redis-benchmark", server.Port, clients, requests);
    Record("redis-benchmark SET", baselineSet);
    Record("redis-benchmark GET", baselineGet);
    var (pipelinedSet, pipelinedGet) = await RedisBenchmarkTool.RunAsync("redis-benchmark", server.Port, 1, requests, pipeline: clients);
    Record("redis-benchmark -c 1 -P 50 SET", pipelinedSet);
    Record("redis-benchmark -c 1 -P 50 GET", pipelinedGet);
    Record("RESP client SET", await Throughput.MeasureAsync(clients, requests, i => client.ExecuteAsync(RedisRequest.Create("SET", "key:__rand_int__", value), CancellationToken.None)));
    Record("RESP client GET", await Throughput.MeasureAsync(clients, requests, i => client.ExecuteAsync(RedisRequest.Create("GET", "key:__rand_int__"), CancellationToken.None)));
    Record("IMindoraCache SET", await Throughput.MeasureAsync(clients, requests, i => cache.SetAsync("key", "xxx")));
    Record("IMindoraCache GET", await Throughput.MeasureAsync(clients, requests, i => cache.GetAsync<string>("key")));
    Console.WriteLine($"round {round}: " + string.Join(", ", results.Select(r => $"{r.Key} {r.Value[^1]:0}")));
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

Console.WriteLine();
Console.WriteLine("| | SET ops/s | GET ops/s | SET vs redis-benchmark | GET vs redis-benchmark |");
Console.WriteLine("| --- | --- | --- | --- | --- |");
var set = Median(results["redis-benchmark SET"]);
var get = Median(results["redis-benchmark GET"]);
foreach (var name in new[] { "redis-benchmark", "RESP client", "IMindoraCache", "redis-benchmark -c 1 -P 50" })
{
    var s = Median(results[name + " SET"]);
    var g = Median(results[name + " GET"]);
    Console.WriteLine($"| {name} | {s:0} | {g:0} | {s / set:P0} | {g / get:P0} |");
}
