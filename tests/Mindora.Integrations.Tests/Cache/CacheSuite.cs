using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Mindora.Integrations.Cache;
using Mindora.Integrations.Tests.Redis;

namespace Mindora.Integrations.Tests.Cache;

/// <summary>
/// The cache's behaviour, run against every store (one subclass each). <see cref="Open"/> opens a
/// new instance of the store for an app — what another process of that app would have — so
/// "another process" tests use two instances that share only the store.
/// </summary>
public abstract partial class CacheSuite : IAsyncLifetime
{
    private readonly ConcurrentBag<MindoraCache> _opened = [];

    public sealed record Profile(string Name, int Age, string[] Tags);

    public sealed class Node
    {
        public Node? Next { get; set; }
    }

    /// <summary>A new app, with its own credentials where the store has them.</summary>
    protected abstract Task<string> NewAppAsync();

    /// <summary>A new instance of the store, connected as <paramref name="app"/>.</summary>
    private protected abstract ICacheProvider OpenProvider(string app);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var cache in _opened)
        {
            await cache.DisposeAsync();
        }
    }

    [Fact]
    public async Task Typed_values_round_trip_and_a_missing_key_reads_as_default()
    {
        var cache = Open(await NewAppAsync());

        await cache.SetAsync("user:1", new Profile("Ada", 36, ["math", "engines"]));
        await cache.SetAsync("count", 42);

        var profile = await cache.GetAsync<Profile>("user:1");
        Assert.Equal(("Ada", 36), (profile!.Name, profile.Age));
        Assert.Equal(["math", "engines"], profile.Tags);
        Assert.Equal(42, await cache.GetAsync<int>("count"));
        Assert.Null(await cache.GetAsync<Profile>("user:2"));
        Assert.Equal(0, await cache.GetAsync<int>("missing"));
    }

    [Fact]
    public async Task A_value_set_by_one_process_is_read_and_removed_by_another()
    {
        var app = await NewAppAsync();
        var first = Open(app);
        var second = Open(app);

        await first.SetAsync("shared", "from the first");

        Assert.Equal("from the first", await second.GetAsync<string>("shared"));
        Assert.True(await second.RemoveAsync("shared"));
        Assert.False(await first.RemoveAsync("shared"));
        Assert.Null(await first.GetAsync<string>("shared"));
    }

    [Fact]
    public async Task A_value_is_gone_once_its_time_to_live_has_passed()
    {
        var cache = Open(await NewAppAsync());

        // Long enough that the first read comes before it on a loaded machine, short enough to wait out.
        await cache.SetAsync("short", "soon gone", TimeSpan.FromSeconds(3));
        await cache.SetAsync("long", "stays", TimeSpan.FromMinutes(10));

        Assert.Equal("soon gone", await cache.GetAsync<string>("short"));
        await Eventually.TrueAsync(async () => await cache.GetAsync<string>("short") is null, "the short-lived value to expire", 20);
        Assert.Equal("stays", await cache.GetAsync<string>("long"));
        Assert.False(await cache.RemoveAsync("short"));
    }

    [Fact]
    public async Task GetOrCreate_runs_the_factory_once_for_concurrent_callers_in_two_processes()
    {
        var app = await NewAppAsync();
        var first = Open(app);
        var second = Open(app);
        var calls = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var callers = Enumerable.Range(0, 24).Select(i => (i % 2 == 0 ? first : second).GetOrCreateAsync(
            "report",
            async ct =>
            {
                Interlocked.Increment(ref calls);
                await release.Task.WaitAsync(ct);
                return new Profile("computed", i, []);
            },
            TimeSpan.FromMinutes(5))).ToArray();
        await Eventually.TrueAsync(() => Volatile.Read(ref calls) == 1, "one caller to start computing");
        release.SetResult();
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, calls);
        Assert.All(results, r => Assert.Equal("computed", r.Name));
        Assert.Single(results.Select(r => r.Age).Distinct());
        Assert.NotSame(results[0], results[1]);
    }

    [Fact]
    public async Task GetOrCreate_returns_a_cached_value_without_running_the_factory()
    {
        var cache = Open(await NewAppAsync());
        await cache.SetAsync("ready", "cached");

        var value = await cache.GetOrCreateAsync<string>("ready", _ => throw new InvalidOperationException("must not run"));

        Assert.Equal("cached", value);
    }

    [Fact]
    public async Task A_failing_factory_reaches_its_caller_and_leaves_nothing_behind()
    {
        var cache = Open(await NewAppAsync());

        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetOrCreateAsync<string>("flaky", _ => throw new InvalidOperationException("boom")));
        var value = await cache.GetOrCreateAsync("flaky", _ => Task.FromResult("second try"));

        Assert.Equal("second try", value);
    }

    [Fact]
    public async Task Remove_by_prefix_removes_exactly_the_keys_with_that_prefix()
    {
        var app = await NewAppAsync();
        var other = await NewAppAsync();
        var cache = Open(app);
        var neighbour = Open(other);
        foreach (var key in new[] { "docs:1", "docs:2", "docs*x", "docs?", "doc", "other:1" })
        {
            await cache.SetAsync(key, key);
        }

        await neighbour.SetAsync("docs:3", "not yours");

        Assert.Equal(2, await cache.RemoveByPrefixAsync("docs:"));
        Assert.Equal(1, await cache.RemoveByPrefixAsync("docs*"));
        Assert.Equal(0, await cache.RemoveByPrefixAsync("nothing-here"));
        Assert.Null(await cache.GetAsync<string>("docs:1"));
        Assert.Null(await cache.GetAsync<string>("docs*x"));
        Assert.Equal("docs?", await cache.GetAsync<string>("docs?"));
        Assert.Equal("doc", await cache.GetAsync<string>("doc"));
        Assert.Equal("not yours", await neighbour.GetAsync<string>("docs:3"));
    }

    [Fact]
    public async Task Messages_reach_the_subscribers_of_their_channel_in_every_process_until_they_unsubscribe()
    {
        var app = await NewAppAsync();
        var publisher = Open(app);
        var listener = Open(app);
        var here = new ConcurrentQueue<string>();
        var there = new ConcurrentQueue<string>();
        var barrier = new ConcurrentQueue<string>();

        var local = await publisher.SubscribeAsync<Profile>("events", (p, _) => Enqueue(here, p.Name));
        await using var remote = await listener.SubscribeAsync<Profile>("events", (p, _) => Enqueue(there, p.Name));
        await using var control = await listener.SubscribeAsync<string>("control", (m, _) => Enqueue(barrier, m));
        await publisher.PublishAsync("events", new Profile("one", 1, []));
        await publisher.PublishAsync("elsewhere", new Profile("ignored", 0, []));
        await publisher.PublishAsync("events", new Profile("two", 2, []));
        await Eventually.TrueAsync(() => here.Count == 2 && there.Count == 2, "both subscribers to get both messages");
        await local.DisposeAsync();
        await publisher.PublishAsync("events", new Profile("three", 3, []));
        await publisher.PublishAsync("control", "after three");
        await Eventually.TrueAsync(() => barrier.Count == 1 && there.Count == 3, "the later messages to arrive");

        Assert.Equal(["one", "two"], here);
        Assert.Equal(["one", "two", "three"], there);
    }

    [Fact]
    public async Task A_failing_handler_does_not_end_its_subscription()
    {
        var cache = Open(await NewAppAsync());
        var received = new ConcurrentQueue<int>();

        await using var subscription = await cache.SubscribeAsync<int>("numbers", (n, _) => n == 1 ? throw new InvalidOperationException("bad handler") : Enqueue(received, n));
        await cache.PublishAsync("numbers", 1);
        await cache.PublishAsync("numbers", 2);

        await Eventually.TrueAsync(() => received.Contains(2), "the message after the failing one");
    }

    [Fact]
    public async Task A_lock_is_exclusive_across_processes_until_released()
    {
        var app = await NewAppAsync();
        var first = Open(app);
        var second = Open(app);

        await using var held = await first.TryAcquireLockAsync("nightly-job", TimeSpan.FromSeconds(30));
        var refused = await second.TryAcquireLockAsync("nightly-job", TimeSpan.FromSeconds(30));
        var released = await held!.ReleaseAsync();
        await using var taken = await second.TryAcquireLockAsync("nightly-job", TimeSpan.FromSeconds(30));

        Assert.Null(refused);
        Assert.True(released);
        Assert.NotNull(taken);
        Assert.Equal("nightly-job", taken.Name);
        Assert.False(await held.ReleaseAsync());
    }

    [Fact]
    public async Task An_expired_lock_can_be_taken_and_its_stale_holder_can_neither_release_nor_renew_it()
    {
        var app = await NewAppAsync();
        var first = Open(app);
        var second = Open(app);

        var stale = await first.TryAcquireLockAsync("job", TimeSpan.FromMilliseconds(200));
        await using var current = await second.TryAcquireLockAsync("job", TimeSpan.FromSeconds(30), wait: TimeSpan.FromSeconds(10));

        Assert.NotNull(stale);
        Assert.NotNull(current);
        Assert.False(await stale.RenewAsync(TimeSpan.FromSeconds(30)));
        Assert.False(await stale.ReleaseAsync());
        Assert.Null(await first.TryAcquireLockAsync("job", TimeSpan.FromSeconds(30)));
        Assert.True(await current.ReleaseAsync());
    }

    [Fact]
    public async Task A_renewed_lock_outlives_its_first_expiry()
    {
        var app = await NewAppAsync();
        var first = Open(app);
        var second = Open(app);

        await using var held = await first.TryAcquireLockAsync("lease", TimeSpan.FromMilliseconds(300));
        var renewed = await held!.RenewAsync(TimeSpan.FromSeconds(30));
        var waited = await second.TryAcquireLockAsync("lease", TimeSpan.FromSeconds(30), wait: TimeSpan.FromMilliseconds(800));

        Assert.True(renewed);
        Assert.Null(waited);
        Assert.True(held.ExpiresAt > DateTimeOffset.UtcNow.AddSeconds(20));
    }

    [Fact]
    public async Task A_waiting_acquirer_gets_the_lock_once_the_holder_releases_it()
    {
        var app = await NewAppAsync();
        var first = Open(app);
        var second = Open(app);
        var held = await first.TryAcquireLockAsync("queue", TimeSpan.FromSeconds(30));

        var waiting = second.TryAcquireLockAsync("queue", TimeSpan.FromSeconds(30), wait: TimeSpan.FromSeconds(20));
        await held!.DisposeAsync();
        await using var taken = await waiting;

        Assert.NotNull(taken);
    }

    [Fact]
    public async Task The_distributed_cache_round_trips_bytes_and_honours_its_expirations()
    {
        var app = await NewAppAsync();
        var sessions = Open(app).DistributedCache;
        var elsewhere = Open(app).DistributedCache;
        var bytes = Encoding.UTF8.GetBytes("session state");

        await sessions.SetAsync("s1", bytes, new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(20) });
        sessions.Set("s2", bytes, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMilliseconds(300) });
        await sessions.SetAsync("s3", bytes, new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(1), AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) });

        Assert.Equal(bytes, await elsewhere.GetAsync("s1"));
        Assert.Equal(bytes, elsewhere.Get("s3"));
        await elsewhere.RefreshAsync("s1");
        await Eventually.TrueAsync(async () => await sessions.GetAsync("s2") is null, "the absolute expiry", 10);
        await elsewhere.RemoveAsync("s1");
        Assert.Null(await sessions.GetAsync("s1"));
        Assert.Null(await Open(app).GetAsync<string>("s3"));
        Assert.Throws<ArgumentOutOfRangeException>(() => sessions.Set("s4", bytes, new DistributedCacheEntryOptions { AbsoluteExpiration = DateTimeOffset.UtcNow.AddMinutes(-1) }));
    }

    [Fact]
    public async Task Bad_keys_values_and_durations_are_typed_errors_and_nothing_is_written()
    {
        var cache = Open(await NewAppAsync());
        var cycle = new Node();
        cycle.Next = cycle;

        foreach (var key in new[] { string.Empty, new string('k', 201), "line\nbreak", "bell\u0007", "lone\uD800surrogate" })
        {
            await Assert.ThrowsAsync<MindoraInvalidNameException>(() => cache.SetAsync(key, 1));
            await Assert.ThrowsAsync<MindoraInvalidNameException>(() => cache.GetAsync<int>(key));
        }

        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => cache.RemoveByPrefixAsync(string.Empty));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => cache.PublishAsync("bad\u0000channel", 1));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => cache.TryAcquireLockAsync(string.Empty, TimeSpan.FromSeconds(1)));
        await cache.SetAsync(new string('k', 200), "longest allowed");
        await cache.SetAsync("ключ-🔑", "unicode is fine");
        var tooLarge = await Assert.ThrowsAsync<MindoraPayloadTooLargeException>(() => cache.SetAsync("big", new string('x', 70 * 1024)));
        var cyclic = await Assert.ThrowsAsync<MindoraValidationException>(() => cache.SetAsync("cycle", cycle));
        var unsupported = await Assert.ThrowsAsync<MindoraValidationException>(() => cache.SetAsync("type", typeof(string)));
        await Assert.ThrowsAsync<MindoraValidationException>(() => cache.SetAsync("ttl", 1, TimeSpan.Zero));
        await Assert.ThrowsAsync<MindoraValidationException>(() => cache.TryAcquireLockAsync("lock", TimeSpan.FromDays(400)));
        await cache.SetAsync("text", "not a number");
        var mismatch = await Assert.ThrowsAsync<MindoraValidationException>(() => cache.GetAsync<int>("text"));

        Assert.Equal(64 * 1024, tooLarge.LimitBytes);
        Assert.Equal("unserializable_value", cyclic.ErrorCode);
        Assert.Equal("unserializable_value", unsupported.ErrorCode);
        Assert.Equal("type_mismatch", mismatch.ErrorCode);
        Assert.Null(await cache.GetAsync<string>("big"));
        Assert.Null(await cache.GetAsync<Node>("cycle"));
        Assert.Equal("unicode is fine", await cache.GetAsync<string>("ключ-🔑"));
    }

    [Fact]
    public async Task Apps_cannot_reach_each_others_keys_messages_or_locks()
    {
        var owner = Open(await NewAppAsync());
        var intruder = Open(await NewAppAsync());
        var heard = new ConcurrentQueue<string>();
        await owner.SetAsync("secret", "owner's");
        await using var listening = await owner.SubscribeAsync<string>("events", (m, _) => Enqueue(heard, m));
        await using var ownerLock = await owner.TryAcquireLockAsync("job", TimeSpan.FromSeconds(30));

        Assert.Null(await intruder.GetAsync<string>("secret"));
        Assert.False(await intruder.RemoveAsync("secret"));
        Assert.Equal(0, await intruder.RemoveByPrefixAsync("sec"));
        await using (var intruderLock = await intruder.TryAcquireLockAsync("job", TimeSpan.FromSeconds(30)))
        {
            Assert.NotNull(intruderLock);
        }

        await intruder.PublishAsync("events", "from the intruder");
        await owner.PublishAsync("events", "from the owner");
        await Eventually.TrueAsync(() => heard.Contains("from the owner"), "the owner's own message");
        Assert.Equal(["from the owner"], heard);
        Assert.Equal("owner's", await owner.GetAsync<string>("secret"));
    }

    internal MindoraCache Open(string app)
    {
        var cache = new MindoraCache(OpenProvider(app), app, TestOptions(), null, TimeProvider.System);
        _opened.Add(cache);
        return cache;
    }

    internal static MindoraCacheOptions TestOptions() => new()
    {
        MaxKeyBytes = 200,
        MaxValueBytes = 64 * 1024,
        PollInterval = TimeSpan.FromMilliseconds(20),
        MaxRetryInterval = TimeSpan.FromMilliseconds(20),
    };

    private static Task Enqueue<T>(ConcurrentQueue<T> queue, T item)
    {
        queue.Enqueue(item);
        return Task.CompletedTask;
    }
}
