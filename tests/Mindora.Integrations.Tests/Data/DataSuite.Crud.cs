using Microsoft.EntityFrameworkCore;
using Mindora.Integrations.Data;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Data;

public abstract partial class DataSuite
{
    [Fact]
    public async Task Create_get_update_and_delete_round_trip_through_the_database()
    {
        await using var host = await StartAsync();

        var created = await host.WithDbAsync(db => db.CreateAsync(new Note { Title = "First", Slug = "first", Priority = 1 }));
        var loaded = await host.WithDbAsync(db => db.GetByIdAsync<Note>(created.Id).AsTask());
        Assert.Equal(("First", "first", 1), (loaded?.Title, loaded?.Slug, loaded?.Priority));

        // A detached copy, as a request body arrives.
        var edit = new Note { Id = created.Id, Title = "Renamed", Slug = "first", Priority = 2 };
        var updated = await host.WithDbAsync(db => db.UpdateAsync(edit));
        Assert.Equal("Renamed", updated.Title);
        var reloaded = await host.WithDbAsync(db => db.GetByIdAsync<Note>(created.Id).AsTask());
        Assert.Equal(("Renamed", 2), (reloaded?.Title, reloaded?.Priority));

        Assert.True(await host.WithDbAsync(db => db.DeleteAsync<Note>(created.Id)));
        Assert.False(await host.WithDbAsync(db => db.DeleteAsync<Note>(created.Id)));
        Assert.Null(await host.WithDbAsync(db => db.GetByIdAsync<Note>(created.Id).AsTask()));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => host.WithDbAsync(db => db.UpdateAsync(edit)));
    }

    [Fact]
    public async Task Get_by_id_without_tracking_reads_a_detached_copy_and_rejects_a_key_of_the_wrong_type()
    {
        await using var host = await StartAsync();
        var created = await host.WithDbAsync(db => db.CreateAsync(new Note { Title = "Read me", Slug = "read-me", Priority = 3 }));

        await host.WithDbAsync(async db =>
        {
            var read = await db.GetByIdNoTrackingAsync<Note>(created.Id);
            Assert.Equal(("Read me", "read-me", 3), (read?.Title, read?.Slug, read?.Priority));
            Assert.Equal(EntityState.Detached, db.Entry(read!).State);
            Assert.Empty(db.ChangeTracker.Entries());
            Assert.Null(await db.GetByIdNoTrackingAsync<Note>(Guid.CreateVersion7()));
            var wrongType = await Assert.ThrowsAsync<MindoraValidationException>(() => db.GetByIdNoTrackingAsync<Note>(42));
            Assert.Contains("Guid", wrongType.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task New_entities_get_time_ordered_keys_and_timestamps_and_only_updated_at_moves_later()
    {
        var start = new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var clock = new ManualTimeProvider(start.AddTicks(1_234_567));
        await using var host = await StartAsync(time: clock);

        var created = await host.WithDbAsync(db => db.CreateAsync(new Note { Title = "t", Slug = "t" }));

        // Microseconds are what PostgreSQL keeps; the 100 ns tick is dropped on both providers.
        var t0 = start.AddTicks(1_234_560);
        Assert.Equal(7, created.Id.Version);
        Assert.Equal((t0, t0), (created.CreatedAt, created.UpdatedAt));

        clock.Advance(TimeSpan.FromMinutes(5));
        await host.WithDbAsync(async db =>
        {
            var note = await db.GetByIdAsync<Note>(created.Id);
            note!.Title = "changed";
            note.CreatedAt = default;
            await db.SaveChangesAsync();
        });

        var stored = await host.WithDbAsync(db => db.Notes.AsNoTracking().SingleAsync(n => n.Id == created.Id));
        Assert.Equal(t0, stored.CreatedAt);
        Assert.Equal(t0.AddMinutes(5), stored.UpdatedAt);
        Assert.Equal(TimeSpan.Zero, stored.UpdatedAt.Offset);
    }

    [Fact]
    public async Task The_base_types_map_and_round_trip_on_the_provider()
    {
        await using var host = await StartAsync();

        var file = await host.WithDbAsync(db => db.CreateAsync(new FileRecord { Bucket = "docs", Key = "a/b.pdf", FileName = "b.pdf", ContentType = "application/pdf", SizeBytes = 12_345_678_901, Sha256 = new string('a', 64) }));
        var result = await host.WithDbAsync(db => db.CreateAsync(new AiProcessingResult { InputRef = $"file:{file.Id}", Model = "small-model", Prompt = "Summarize", Response = "A summary", PromptTokens = 12, CompletionTokens = 3, LatencyMilliseconds = 420, Status = AiProcessingStatus.Succeeded }));

        var storedFile = await host.WithDbAsync(db => db.Files.AsNoTracking().SingleAsync(f => f.Bucket == "docs" && f.Key == "a/b.pdf"));
        Assert.Equal((12_345_678_901L, "application/pdf"), (storedFile.SizeBytes, storedFile.ContentType));
        var storedResult = await host.WithDbAsync(db => db.AiResults.AsNoTracking().SingleAsync(r => r.Status == AiProcessingStatus.Succeeded));
        Assert.Equal((result.Id, "A summary", 12, 3, 420), (storedResult.Id, storedResult.Response, storedResult.PromptTokens, storedResult.CompletionTokens, storedResult.LatencyMilliseconds));
    }
}
