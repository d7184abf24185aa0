using System.Globalization;
using Mindora.Integrations;

// Usage: Mindora.TaskChild <app> <connection string> <lease ms>
// Claims one task of the "default" queue as worker "doomed", prints "claimed <id>", then holds the
// lease without renewing it until the test kills this process with SIGKILL.
if (args.Length != 3)
{
    Console.Error.WriteLine("Usage: Mindora.TaskChild <app> <connection string> <lease ms>");
    return 2;
}

var lease = TimeSpan.FromMilliseconds(int.Parse(args[2], CultureInfo.InvariantCulture));
await using var mindora = MindoraClient.Create(args[0], new Dictionary<string, string> { ["redis"] = args[1] });
using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
while (!stop.IsCancellationRequested)
{
    if (await mindora.Broker.TryClaimAsync(["default"], "doomed", lease, stop.Token) is { } claimed)
    {
        Console.WriteLine("claimed " + claimed.Task.Id);
        await Task.Delay(Timeout.Infinite, stop.Token);
    }

    await mindora.Broker.WaitForWorkAsync(["default"], TimeSpan.FromSeconds(1), stop.Token);
}

return 1;
