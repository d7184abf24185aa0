// Messaging benchmark: N messages sent by P concurrent publishers, each send awaiting the
// broker's confirm, and consumed by one consumer (prefetch 100) that acks each message after its
// handler — through Mindora's IMindoraMessaging and through raw RabbitMQ.Client 7 doing the same
// work (P confirm-mode channels, a persistent JSON message to a durable queue through the app's direct
// exchange, since app users may not write to the default one, manual acks) and
// through MassTransit 8 (a receive endpoint, confirms on), on the same private broker, rounds
// alternating. Each round is timed from its first send to its last handled message: connecting,
// declaring and starting MassTransit's bus are set-up, not throughput. The peers take
// turns going first in a round. Usage: dotnet run -c Release --project bench/MessagingBench [messages] [publishers] [rounds]
using System.Diagnostics;
using System.Globalization;
using MessagingBench;
using Mindora.Testing;

var messages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var publishers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;

Console.WriteLine($"Starting a private RabbitMQ through the process runtime ...");
await using var broker = await PrivateRabbitMQ.StartAsync("bench");
var uri = new Uri(broker.ConnectionString);
Console.WriteLine($"{messages} messages, {publishers} publishers, prefetch 100, {rounds} rounds each (alternating), {Environment.ProcessorCount} cores");

// Warm-up: JIT, connections, queue declarations.
await new RawRound(uri, "bench_warm_raw").RunAsync(2_000, publishers);
await new MindoraRound(uri, "bench", "bench_warm_mindora").RunAsync(2_000, publishers);
await new MassTransitRound(uri, "warm").RunAsync(2_000, publishers);

var cpu = new Dictionary<string, List<(double Client, double Broker)>> { ["raw"] = [], ["Mindora"] = [], ["MassTransit"] = [] };
var raw = new List<double>();
var mindora = new List<double>();
var massTransit = new List<double>();
for (var round = 1; round <= rounds; round++)
{
    // The peers take turns going first: runs later in a round were measured faster (the broker
    // keeps warming up), which would otherwise favour whichever peer always runs last.
    var peers = new (string Name, Func<Task> Run)[]
    {
        ("raw", async () => raw.Add(await Measure("raw", () => new RawRound(uri, $"bench_raw_{round}").RunAsync(messages, publishers)))),
        ("Mindora", async () => mindora.Add(await Measure("Mindora", () => new MindoraRound(uri, "bench", $"bench_mindora_{round}").RunAsync(messages, publishers)))),
        ("MassTransit", async () => massTransit.Add(await Measure("MassTransit", () => new MassTransitRound(uri, $"{round}").RunAsync(messages, publishers)))),
    };
    var order = Enumerable.Range(0, peers.Length).Select(i => peers[(i + round - 1) % peers.Length]).ToList();
    foreach (var (_, run) in order)
    {
        await run();
    }

    Console.WriteLine($"round {round} ({string.Join(" → ", order.Select(p => p.Name))}): raw {raw[^1]:N0} msg/s, Mindora {mindora[^1]:N0} msg/s, MassTransit {massTransit[^1]:N0} msg/s");
}

var rawMedian = Median(raw);
var mindoraMedian = Median(mindora);
var massTransitMedian = Median(massTransit);
Console.WriteLine($"median: raw RabbitMQ.Client {rawMedian:N0} msg/s, Mindora {mindoraMedian:N0} msg/s, MassTransit {massTransitMedian:N0} msg/s; Mindora/raw {mindoraMedian / rawMedian:P0}, Mindora/MassTransit {mindoraMedian / massTransitMedian:F2}x");

foreach (var (peer, samples) in cpu)
{
    Console.WriteLine($"CPU per message, median ({peer}): client {Median(samples.Select(s => s.Client).ToList()):F0} µs, broker {Median(samples.Select(s => s.Broker).ToList()):F0} µs");
}

// Throughput of one round, and the CPU per message it cost this process and the broker's
// process tree (set-up included: it is small next to 20,000 messages).
async Task<double> Measure(string peer, Func<Task<TimeSpan>> round)
{
    var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var brokerBefore = ProcessTreeCpu.Read(broker.ProcessId);
    var elapsed = await round();
    var client = (Process.GetCurrentProcess().TotalProcessorTime - clientBefore).TotalMicroseconds / messages;
    var brokerCpu = (ProcessTreeCpu.Read(broker.ProcessId) - brokerBefore).TotalMicroseconds / messages;
    cpu[peer].Add((client, brokerCpu));
    return messages / elapsed.TotalSeconds;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
