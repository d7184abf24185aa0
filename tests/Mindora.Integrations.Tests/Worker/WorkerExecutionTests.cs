using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Tests.Support;
using Mindora.Integrations.Worker;

namespace Mindora.Integrations.Tests.Worker;

public sealed class WorkerExecutionTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public async Task Registered_handler_task_ends_succeeded_with_its_result_json()
    {
        await using var host = await StartWorkerAsync();

        var task = await host.Tasks.EnqueueAsync("greet", new GreetPayload("Ada", 2));
        var done = await host.Tasks.WaitForTaskAsync(task.Id);

        Assert.Equal(MindoraTaskStatus.Succeeded, done.Status);
        Assert.Equal(1, done.Attempts);
        Assert.Null(done.Error);
        Assert.NotNull(done.FinishedAt);
        using var result = JsonDocument.Parse(done.ResultJson!);
        Assert.Equal("Hello, Ada! Hello, Ada!", result.RootElement.GetProperty("greeting").GetString());
    }

    [Fact]
    public async Task Handler_returning_null_succeeds_without_a_result()
    {
        await using var host = await StartWorkerAsync();

        var task = await host.Tasks.EnqueueAsync("quiet", null);
        var done = await host.Tasks.WaitForTaskAsync(task.Id);

        Assert.Equal(MindoraTaskStatus.Succeeded, done.Status);
        Assert.Null(done.ResultJson);
    }

    [Fact]
    public async Task Handler_sees_its_task_worker_id_and_whether_this_is_the_last_attempt()
    {
        await using var host = await StartWorkerAsync(("Mindora:Worker:WorkerId", "worker-7"));

        var first = await host.Tasks.EnqueueAsync("whoami", null, new EnqueueOptions { MaxAttempts = 3 });
        var last = await host.Tasks.EnqueueAsync("whoami", null, new EnqueueOptions { MaxAttempts = 1 });
        var firstDone = await host.Tasks.WaitForTaskAsync(first.Id);
        var lastDone = await host.Tasks.WaitForTaskAsync(last.Id);

        Assert.Equal("worker-7", firstDone.Worker);
        using var firstResult = JsonDocument.Parse(firstDone.ResultJson!);
        Assert.Equal(first.Id, firstResult.RootElement.GetProperty("taskId").GetString());
        Assert.Equal("worker-7", firstResult.RootElement.GetProperty("workerId").GetString());
        Assert.Equal(1, firstResult.RootElement.GetProperty("attempt").GetInt32());
        Assert.False(firstResult.RootElement.GetProperty("isLastAttempt").GetBoolean());
        using var lastResult = JsonDocument.Parse(lastDone.ResultJson!);
        Assert.True(lastResult.RootElement.GetProperty("isLastAttempt").GetBoolean());
    }

    [Fact]
    public async Task Each_task_runs_in_its_own_scope_which_is_disposed_afterwards()
    {
        var probe = new ScopeProbe();
        await using var host = await StartWorkerAsync(configure: b => b.Services.AddSingleton(probe).AddScoped<ScopedThing>());

        var a = await host.Tasks.EnqueueAsync("scoped", null);
        var b = await host.Tasks.EnqueueAsync("scoped", null);
        var doneA = await host.Tasks.WaitForTaskAsync(a.Id);
        var doneB = await host.Tasks.WaitForTaskAsync(b.Id);

        Assert.NotEqual(doneA.ResultJson, doneB.ResultJson);
        Assert.Equal(2, probe.Disposed.Count);
        Assert.Contains(JsonSerializer.Deserialize<string>(doneA.ResultJson!), probe.Disposed);
        Assert.Contains(JsonSerializer.Deserialize<string>(doneB.ResultJson!), probe.Disposed);
    }

    [Fact]
    public async Task Unknown_task_name_fails_without_retry_naming_the_registered_handlers()
    {
        await using var host = await StartWorkerAsync();

        var task = await host.Tasks.EnqueueAsync("no-such-task", null, new EnqueueOptions { MaxAttempts = 5 });
        var done = await host.Tasks.WaitForTaskAsync(task.Id);

        Assert.Equal(MindoraTaskStatus.Failed, done.Status);
        Assert.Equal(1, done.Attempts);
        var error = Assert.IsType<string>(done.Error);
        Assert.Contains("'no-such-task'", error, StringComparison.Ordinal);
        var handled = error[(error.IndexOf("it handles: ", StringComparison.Ordinal) + "it handles: ".Length)..].TrimEnd('.').Split(", ");
        Assert.Equal(["fail", "flaky", "greet", "quiet", "scoped", "sleep", "unserializable", "whoami"], handled.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Transient_exception_is_retried_then_succeeds()
    {
        await using var host = await StartWorkerAsync();

        var task = await host.Tasks.EnqueueAsync("flaky", new FlakyPayload(FailingAttempts: 2), new EnqueueOptions { MaxAttempts = 3 });
        var done = await host.Tasks.WaitForTaskAsync(task.Id);

        Assert.Equal(MindoraTaskStatus.Succeeded, done.Status);
        Assert.Equal(3, done.Attempts);
        Assert.Null(done.Error);
        Assert.Equal("{\"succeededOnAttempt\":3}", done.ResultJson);
    }

    [Fact]
    public async Task Transient_exception_on_every_attempt_fails_after_the_last_attempt_with_its_message()
    {
        await using var host = await StartWorkerAsync();

        var task = await host.Tasks.EnqueueAsync("flaky", new FlakyPayload(FailingAttempts: 10), new EnqueueOptions { MaxAttempts = 2 });
        var done = await host.Tasks.WaitForTaskAsync(task.Id);

        Assert.Equal(MindoraTaskStatus.Failed, done.Status);
        Assert.Equal(2, done.Attempts);
        Assert.Equal("Flaky failure on attempt 2.", done.Error);
    }

    [Theory]
    [InlineData("permanent", "Cannot be fixed by retrying.")]
    [InlineData("validation", "The order number is malformed.")]
    [InlineData("unsupported", "Content type 'image/png' is not supported; allowed: text/plain.")]
    [InlineData("not-found", "Order 42 was not found.")]
    public async Task Permanent_failure_is_not_retried(string kind, string expectedError)
    {
        await using var host = await StartWorkerAsync();

        var task = await host.Tasks.EnqueueAsync("fail", new FailPayload(kind), new EnqueueOptions { MaxAttempts = 5 });
        var done = await host.Tasks.WaitForTaskAsync(task.Id);

        Assert.Equal(MindoraTaskStatus.Failed, done.Status);
        Assert.Equal(1, done.Attempts);
        Assert.Equal(expectedError, done.Error);
    }

    [Fact]
    public async Task Task_over_its_timeout_is_canceled_and_fails_with_timed_out()
    {
        await using var host = await StartWorkerAsync();

        var task = await host.Tasks.EnqueueAsync("sleep", null, new EnqueueOptions { Timeout = TimeSpan.FromMilliseconds(300), MaxAttempts = 2 });
        var done = await host.Tasks.WaitForTaskAsync(task.Id);

        Assert.Equal(MindoraTaskStatus.Failed, done.Status);
        Assert.Equal(2, done.Attempts);
        Assert.Equal("Timed out after 0.3 s.", done.Error);
    }

    [Fact]
    public async Task Task_within_its_timeout_succeeds()
    {
        await using var host = await StartWorkerAsync();

        var task = await host.Tasks.EnqueueAsync("greet", new GreetPayload("Bo", 1), new EnqueueOptions { Timeout = TimeSpan.FromSeconds(30) });
        var done = await host.Tasks.WaitForTaskAsync(task.Id);

        Assert.Equal(MindoraTaskStatus.Succeeded, done.Status);
    }

    [Fact]
    public async Task Timeout_longer_than_a_timer_can_hold_means_no_limit()
    {
        await using var host = await StartWorkerAsync();

        var task = await host.Tasks.EnqueueAsync("greet", new GreetPayload("Di", 1), new EnqueueOptions { Timeout = TimeSpan.FromDays(60) });
        var done = await host.Tasks.WaitForTaskAsync(task.Id);

        Assert.Equal(MindoraTaskStatus.Succeeded, done.Status);
    }

    [Fact]
    public async Task Worker_loop_survives_an_unexpected_error_while_claiming()
    {
        BrokerFaults? faults = null;
        await using var host = await StartWorkerAsync(
            b =>
            {
                faults = FaultyBroker.Install(b);
                faults.Claims.Error = () => new InvalidOperationException("Unexpected claim error.");
                faults.Claims.Times = 1;
            },
            ("Mindora:Worker:Concurrency", "1"));

        var task = await host.Tasks.EnqueueAsync("greet", new GreetPayload("Eve", 1));
        var done = await host.Tasks.WaitForTaskAsync(task.Id);

        Assert.Equal(MindoraTaskStatus.Succeeded, done.Status);
        Assert.Equal(1, faults!.Claims.Thrown);
        Assert.True(host.Logs.Contains("Unexpected claim error."));
    }

    [Fact]
    public async Task Payload_that_is_not_the_handlers_type_fails_permanently()
    {
        await using var host = await StartWorkerAsync();

        var wrongShape = await host.Tasks.EnqueueAsync("greet", "just a string", new EnqueueOptions { MaxAttempts = 5 });
        var wrongType = await host.Tasks.EnqueueAsync("greet", new { name = "Ada", times = "twice" }, new EnqueueOptions { MaxAttempts = 5 });
        var empty = await host.Tasks.EnqueueAsync("greet", null, new EnqueueOptions { MaxAttempts = 5 });

        foreach (var (id, expected) in new[] { (wrongShape.Id, "not a valid GreetPayload"), (wrongType.Id, "not a valid GreetPayload"), (empty.Id, "empty payload") })
        {
            var done = await host.Tasks.WaitForTaskAsync(id);
            Assert.Equal(MindoraTaskStatus.Failed, done.Status);
            Assert.Equal(1, done.Attempts);
            Assert.Contains("'greet'", done.Error, StringComparison.Ordinal);
            Assert.Contains(expected, done.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Payload_missing_a_required_value_fails_permanently_instead_of_reaching_the_handler_as_null()
    {
        await using var host = await StartWorkerAsync();

        var missing = await host.Tasks.EnqueueAsync("greet", new { times = 1 }, new EnqueueOptions { MaxAttempts = 5 });
        var explicitNull = await host.Tasks.EnqueueAsync("greet", new { name = (string?)null, times = 1 }, new EnqueueOptions { MaxAttempts = 5 });

        foreach (var id in new[] { missing.Id, explicitNull.Id })
        {
            var done = await host.Tasks.WaitForTaskAsync(id);
            Assert.Equal(MindoraTaskStatus.Failed, done.Status);
            Assert.Equal(1, done.Attempts);
            Assert.Contains("not a valid GreetPayload", done.Error, StringComparison.Ordinal);
            Assert.Contains("name", done.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Result_that_cannot_be_serialized_fails_the_task_permanently()
    {
        await using var host = await StartWorkerAsync();

        var task = await host.Tasks.EnqueueAsync("unserializable", null, new EnqueueOptions { MaxAttempts = 5 });
        var done = await host.Tasks.WaitForTaskAsync(task.Id);

        Assert.Equal(MindoraTaskStatus.Failed, done.Status);
        Assert.Equal(1, done.Attempts);
        Assert.Contains("result", done.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_failing_task_does_not_stop_the_worker()
    {
        await using var host = await StartWorkerAsync(("Mindora:Worker:Concurrency", "1"));

        var failed = await host.Tasks.EnqueueAsync("fail", new FailPayload("crash"), new EnqueueOptions { MaxAttempts = 1 });
        var next = await host.Tasks.EnqueueAsync("greet", new GreetPayload("Cy", 1));

        Assert.Equal(MindoraTaskStatus.Failed, (await host.Tasks.WaitForTaskAsync(failed.Id)).Status);
        Assert.Equal(MindoraTaskStatus.Succeeded, (await host.Tasks.WaitForTaskAsync(next.Id)).Status);
    }

    private Task<RunningHost> StartWorkerAsync(params (string Key, string Value)[] settings) => StartWorkerAsync(null, settings);

    private async Task<RunningHost> StartWorkerAsync(Action<HostApplicationBuilder>? configure, params (string Key, string Value)[] settings)
    {
        var builder = WorkerHosts.CreateBuilder(temp.NewStoreDirectory(), settings);
        builder.AddMindoraWorker()
            .AddHandler<GreetHandler>("greet")
            .AddHandler<QuietHandler>("quiet")
            .AddHandler<WhoAmIHandler>("whoami")
            .AddHandler<ScopedHandler>("scoped")
            .AddHandler<FlakyHandler>("flaky")
            .AddHandler<FailHandler>("fail")
            .AddHandler<SleepHandler>("sleep")
            .AddHandler<UnserializableResultHandler>("unserializable");
        configure?.Invoke(builder);
        return await builder.StartAsync();
    }

    private sealed record GreetPayload(string Name, int Times);

    private sealed record FlakyPayload(int FailingAttempts);

    private sealed record FailPayload(string Kind);

    private sealed class GreetHandler : TaskHandler<GreetPayload>
    {
        protected override Task<object?> HandleAsync(GreetPayload payload, TaskContext context, CancellationToken cancellationToken) =>
            Task.FromResult<object?>(new { greeting = string.Join(' ', Enumerable.Repeat($"Hello, {payload.Name}!", payload.Times)) });
    }

    private sealed class QuietHandler : ITaskHandler
    {
        public Task<object?> HandleAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<object?>(null);
    }

    private sealed class WhoAmIHandler : ITaskHandler
    {
        public Task<object?> HandleAsync(TaskContext context, CancellationToken cancellationToken) =>
            Task.FromResult<object?>(new { taskId = context.Task.Id, workerId = context.WorkerId, attempt = context.Task.Attempts, isLastAttempt = context.IsLastAttempt });
    }

    private sealed class ScopeProbe
    {
        public ConcurrentBag<string> Disposed { get; } = [];
    }

    private sealed class ScopedThing(ScopeProbe probe) : IDisposable
    {
        public string Id { get; } = Guid.NewGuid().ToString("N");

        public void Dispose() => probe.Disposed.Add(Id);
    }

    private sealed class ScopedHandler(ScopedThing thing, IServiceProvider services) : ITaskHandler
    {
        public Task<object?> HandleAsync(TaskContext context, CancellationToken cancellationToken)
        {
            // The context's services are the task's scope: the same scoped instance the handler got.
            Assert.Same(thing, context.Services.GetRequiredService<ScopedThing>());
            Assert.Same(thing, services.GetRequiredService<ScopedThing>());
            return Task.FromResult<object?>(thing.Id);
        }
    }

    private sealed class FlakyHandler : TaskHandler<FlakyPayload>
    {
        protected override Task<object?> HandleAsync(FlakyPayload payload, TaskContext context, CancellationToken cancellationToken) =>
            context.Task.Attempts <= payload.FailingAttempts
                ? throw new InvalidOperationException($"Flaky failure on attempt {context.Task.Attempts}.")
                : Task.FromResult<object?>(new { succeededOnAttempt = context.Task.Attempts });
    }

    private sealed class FailHandler : TaskHandler<FailPayload>
    {
        protected override Task<object?> HandleAsync(FailPayload payload, TaskContext context, CancellationToken cancellationToken) =>
            payload.Kind switch
            {
                "permanent" => throw new PermanentTaskFailureException("Cannot be fixed by retrying."),
                "validation" => throw new MindoraValidationException("order", "The order number is malformed."),
                "unsupported" => throw new MindoraUnsupportedContentException("image/png", ["text/plain"]),
                "not-found" => throw new MindoraNotFoundException("Order 42"),
                _ => throw new InvalidOperationException("Crash."),
            };
    }

    private sealed class SleepHandler : ITaskHandler
    {
        public async Task<object?> HandleAsync(TaskContext context, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return null;
        }
    }

    private sealed class UnserializableResultHandler : ITaskHandler
    {
        public Task<object?> HandleAsync(TaskContext context, CancellationToken cancellationToken) =>
            Task.FromResult<object?>(new { type = typeof(string) });
    }
}
