using Microsoft.EntityFrameworkCore;
using Mindora.Integrations.Data;

namespace Mindora.Integrations.Tests.Data;

public abstract partial class DataSuite
{
    [Fact]
    public async Task A_transaction_cut_off_mid_way_rolls_back_and_leaves_nothing_half_written()
    {
        // No retries: a plain user transaction, as code that manages its own would hold it.
        await using var host = await StartAsync(o => o.MaxRetryCount = 0);

        await host.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.CreateAsync(new Note { Title = "first half", Slug = "first" });
            await InterruptConnectionAsync(db);
            await Assert.ThrowsAnyAsync<Exception>(() => db.CreateAsync(new Note { Title = "second half", Slug = "second" }));
        });

        Assert.Empty(await TitlesAsync(host));
        Assert.Empty(await AuditAsync(host));
    }
}
