using Mindora.Integrations.Data;

namespace Mindora.Integrations.Tests.Data;

public abstract partial class DataSuite
{
    [Fact]
    public async Task A_duplicate_unique_key_is_a_conflict_naming_the_constraint_and_the_context_stays_usable()
    {
        await using var host = await StartAsync();
        await host.WithDbAsync(db => db.CreateAsync(new Note { Title = "one", Slug = "dup" }));

        await host.WithDbAsync(async db =>
        {
            var conflict = await Assert.ThrowsAsync<MindoraConflictException>(() => db.CreateAsync(new Note { Title = "two", Slug = "dup" }));
            Assert.Equal("conflict", conflict.ErrorCode);
            Assert.Contains(SlugConstraint, conflict.Message, StringComparison.Ordinal);

            // The refused entity is not left behind to fail the next save.
            await db.CreateAsync(new Note { Title = "three", Slug = "other" });
        });

        Assert.Equal(["one", "three"], await TitlesAsync(host));
    }

    [Fact]
    public async Task A_missing_or_still_referenced_row_is_a_conflict_naming_the_foreign_key()
    {
        await using var host = await StartAsync();

        var missing = await Assert.ThrowsAsync<MindoraConflictException>(() => host.WithDbAsync(db => db.CreateAsync(new Note { Title = "orphan", Slug = "orphan", OwnerId = Guid.NewGuid() })));
        Assert.Contains(OwnerConstraint, missing.Message, StringComparison.Ordinal);

        var owner = await host.WithDbAsync(db => db.CreateAsync(new Owner { Name = "Ada" }));
        await host.WithDbAsync(db => db.CreateAsync(new Note { Title = "owned", Slug = "owned", OwnerId = owner.Id }));
        var referenced = await Assert.ThrowsAsync<MindoraConflictException>(() => host.WithDbAsync(db => db.DeleteAsync<Owner>(owner.Id)));
        Assert.Contains(OwnerConstraint, referenced.Message, StringComparison.Ordinal);

        Assert.NotNull(await host.WithDbAsync(db => db.GetByIdAsync<Owner>(owner.Id).AsTask()));
        Assert.Equal(["owned"], await TitlesAsync(host));
    }
}
