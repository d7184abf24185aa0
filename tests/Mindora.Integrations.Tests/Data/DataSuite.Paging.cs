using Microsoft.EntityFrameworkCore;
using Mindora.Integrations.Data;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Data;

public abstract partial class DataSuite
{
    [Fact]
    public async Task Paging_visits_every_row_once_in_creation_order_while_rows_come_and_go()
    {
        var clock = new ManualTimeProvider();
        await using var host = await StartAsync(time: clock);

        // 12 rows share one timestamp (their ids break the tie); 13 more follow a second apart.
        var notes = Enumerable.Range(0, 25).Select(i => new Note { Title = $"n{i}", Slug = $"n{i}" }).ToList();
        await host.WithDbAsync(async db =>
        {
            db.Notes.AddRange(notes.Take(12));
            await db.SaveChangesAsync();
        });
        foreach (var note in notes.Skip(12))
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await host.WithDbAsync(db => db.CreateAsync(note));
        }

        var expected = notes.OrderBy(n => n.CreatedAt).ThenBy(n => n.Id.ToString(), StringComparer.Ordinal).Select(n => n.Id).ToList();
        var seen = new List<Guid>();
        string? cursor = null;
        Note? late = null;
        do
        {
            var page = await host.WithDbAsync(db => db.Notes.ToPageAsync(10, cursor));
            Assert.True(page.Items.Count <= 10);
            seen.AddRange(page.Items.Select(n => n.Id));
            cursor = page.NextCursor;
            if (late is null)
            {
                // Between pages: a row already seen goes away and a new one arrives.
                Assert.True(await host.WithDbAsync(db => db.DeleteAsync<Note>(page.Items[0].Id)));
                clock.Advance(TimeSpan.FromHours(1));
                late = await host.WithDbAsync(db => db.CreateAsync(new Note { Title = "late", Slug = "late" }));
            }
        }
        while (cursor is not null);

        Assert.Equal([.. expected, late!.Id], seen);
    }

    [Fact]
    public async Task Page_sizes_out_of_range_and_forged_cursors_are_rejected()
    {
        await using var host = await StartAsync();

        await host.WithDbAsync(async db =>
        {
            Assert.Equal("pageSize", (await Assert.ThrowsAsync<MindoraValidationException>(() => db.Notes.ToPageAsync(0))).ParameterName);
            await Assert.ThrowsAsync<MindoraValidationException>(() => db.Notes.ToPageAsync(MindoraPagingExtensions.MaxPageSize + 1));
            Assert.Equal("after", (await Assert.ThrowsAsync<MindoraValidationException>(() => db.Notes.ToPageAsync(10, "not-a-cursor"))).ParameterName);
            await Assert.ThrowsAsync<MindoraValidationException>(() => db.Notes.ToPageAsync(10, "MTIzOnh5eg"));
            Assert.Empty((await db.Notes.ToPageAsync(MindoraPagingExtensions.MaxPageSize)).Items);
        });
    }
}
