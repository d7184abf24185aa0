using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Tests.Support;
using Mindora.Integrations.Worker;

namespace Mindora.Integrations.Tests.Worker;

public sealed class WorkerOptionsTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public void Queues_as_comma_separated_text_and_the_other_settings_bind_from_configuration()
    {
        var builder = WorkerHosts.CreateBuilder(
            temp.NewStoreDirectory(),
            ("Mindora:Worker:Queues", "high, default ,,low"),
            ("Mindora:Worker:Concurrency", "7"),
            ("Mindora:Worker:LeaseDuration", "00:00:45"),
            ("Mindora:Worker:DrainTimeout", "12.5"),
            ("Mindora:Worker:IdleWait", "3"),
            ("Mindora:Worker:WorkerId", "box-1"));
        builder.AddMindoraWorker();
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<MindoraWorkerOptions>>().Value;

        Assert.Equal(["high", "default", "low"], options.Queues);
        Assert.Equal(7, options.Concurrency);
        Assert.Equal(TimeSpan.FromSeconds(45), options.LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(12.5), options.DrainTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), options.IdleWait);
        Assert.Equal("box-1", options.WorkerId);
    }

    [Fact]
    public void Queues_bind_as_a_configuration_list_too()
    {
        var builder = WorkerHosts.CreateBuilder(temp.NewStoreDirectory(), ("Mindora:Worker:Queues:0", "high"), ("Mindora:Worker:Queues:1", "default"));
        builder.AddMindoraWorker();
        using var host = builder.Build();

        Assert.Equal(["high", "default"], host.Services.GetRequiredService<IOptions<MindoraWorkerOptions>>().Value.Queues);
    }

    [Fact]
    public void Defaults_take_the_default_queue_with_at_least_two_loops()
    {
        var options = new MindoraWorkerOptions();

        Assert.Equal(["default"], options.Queues);
        Assert.True(options.Concurrency >= 2);
        Assert.Equal(TimeSpan.FromSeconds(60), options.LeaseDuration);
    }

    [Fact]
    public void Configure_delegate_applies_after_configuration()
    {
        var builder = WorkerHosts.CreateBuilder(temp.NewStoreDirectory(), ("Mindora:Worker:Concurrency", "7"));
        builder.AddMindoraWorker(o =>
        {
            o.Concurrency = 4;
            o.Queues.Add("low");
        });
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<MindoraWorkerOptions>>().Value;
        Assert.Equal(4, options.Concurrency);
        Assert.Equal(["default", "low"], options.Queues);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("257")]
    public async Task Out_of_range_concurrency_fails_at_start_with_a_clear_message(string concurrency)
    {
        var builder = WorkerHosts.CreateBuilder(temp.NewStoreDirectory(), ("Mindora:Worker:Concurrency", concurrency));
        builder.AddMindoraWorker();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Mindora:Worker:Concurrency must be between 1 and 256.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrency_that_is_not_a_number_fails_at_start_naming_the_setting()
    {
        var builder = WorkerHosts.CreateBuilder(temp.NewStoreDirectory(), ("Mindora:Worker:Concurrency", "lots"));
        builder.AddMindoraWorker();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<MindoraConfigurationException>(() => host.StartAsync());

        Assert.Equal("Mindora:Worker:Concurrency 'lots' is not a whole number.", error.Message);
    }

    [Theory]
    [InlineData("Mindora:Worker:LeaseDuration", "2", "LeaseDuration must be at least 3 seconds")]
    [InlineData("Mindora:Worker:DrainTimeout", "-1", "DrainTimeout must not be negative")]
    [InlineData("Mindora:Worker:IdleWait", "0", "IdleWait must be greater than 0")]
    [InlineData("Mindora:Worker:QueueDepthInterval", "0.01", "QueueDepthInterval must be at least 0.1 seconds")]
    public async Task Out_of_range_durations_fail_at_start_naming_the_setting(string key, string value, string expected)
    {
        var builder = WorkerHosts.CreateBuilder(temp.NewStoreDirectory(), (key, value));
        builder.AddMindoraWorker();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_id_with_control_characters_fails_at_start()
    {
        var builder = WorkerHosts.CreateBuilder(temp.NewStoreDirectory());
        builder.AddMindoraWorker(o => o.WorkerId = "bad\nid");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Mindora:Worker:WorkerId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_queue_name_fails_at_start_naming_the_rule()
    {
        var builder = WorkerHosts.CreateBuilder(temp.NewStoreDirectory(), ("Mindora:Worker:Queues", "default,High Priority"));
        builder.AddMindoraWorker();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<MindoraInvalidNameException>(() => host.StartAsync());

        Assert.Contains("High Priority", error.Message, StringComparison.Ordinal);
        Assert.Contains(MindoraNames.LogicalNameRule, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_handlers_for_one_task_name_is_a_configuration_error()
    {
        var builder = WorkerHosts.CreateBuilder(temp.NewStoreDirectory());
        var worker = builder.AddMindoraWorker().AddHandler<FirstHandler>("report");

        var error = Assert.Throws<MindoraConfigurationException>(() => worker.AddHandler<SecondHandler>("report"));

        Assert.Contains("'report'", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(FirstHandler), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(SecondHandler), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_handlers_for_one_task_name_are_caught_across_add_mindora_worker_calls()
    {
        var builder = WorkerHosts.CreateBuilder(temp.NewStoreDirectory());
        builder.AddMindoraWorker().AddHandler<FirstHandler>("report");

        Assert.Throws<MindoraConfigurationException>(() => builder.AddMindoraWorker().AddHandler<SecondHandler>("report"));
    }

    [Fact]
    public void Registering_the_same_handler_twice_is_harmless()
    {
        var builder = WorkerHosts.CreateBuilder(temp.NewStoreDirectory());
        builder.AddMindoraWorker().AddHandler<FirstHandler>("report").AddHandler<FirstHandler>("report");
        using var host = builder.Build();

        Assert.Single(host.Services.GetServices<FirstHandler>());
    }

    [Fact]
    public void Invalid_task_name_is_rejected_when_the_handler_is_added()
    {
        var builder = WorkerHosts.CreateBuilder(temp.NewStoreDirectory());

        Assert.Throws<MindoraInvalidNameException>(() => builder.AddMindoraWorker().AddHandler<FirstHandler>("1-starts-with-a-digit"));
    }

    [Fact]
    public async Task Handlers_registered_through_two_add_mindora_worker_calls_all_run_in_one_worker()
    {
        var builder = WorkerHosts.CreateBuilder(temp.NewStoreDirectory());
        builder.AddMindoraWorker().AddHandler<FirstHandler>("first");
        builder.AddMindoraWorker(o => o.WorkerId = "combined").AddHandler<SecondHandler>("second");
        await using var host = await builder.StartAsync();

        var first = await host.Tasks.EnqueueAsync("first", null);
        var second = await host.Tasks.EnqueueAsync("second", null);

        Assert.Equal("\"first\"", (await host.Tasks.WaitForTaskAsync(first.Id)).ResultJson);
        Assert.Equal("\"second\"", (await host.Tasks.WaitForTaskAsync(second.Id)).ResultJson);
        Assert.Single(host.Services.GetServices<IHostedService>().OfType<TaskWorkerService>());
        Assert.Equal("combined", (await host.Tasks.GetAsync(second.Id))?.Worker);
    }

    private sealed class FirstHandler : ITaskHandler
    {
        public Task<object?> HandleAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<object?>("first");
    }

    private sealed class SecondHandler : ITaskHandler
    {
        public Task<object?> HandleAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<object?>("second");
    }
}
