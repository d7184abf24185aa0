using Microsoft.EntityFrameworkCore;

namespace DataBench;

/// <summary>One table, looked up by its primary key; used through AddMindoraDbContext.</summary>
internal sealed class BenchContext(DbContextOptions<BenchContext> options) : DbContext(options)
{
    public DbSet<Item> Items => Set<Item>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => Item.Map(modelBuilder);
}

/// <summary>The same model with plain EF Core (AddDbContextPool + UseNpgsql), to tell EF's cost from Mindora's.</summary>
internal sealed class PlainBenchContext(DbContextOptions<PlainBenchContext> options) : DbContext(options)
{
    public DbSet<Item> Items => Set<Item>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => Item.Map(modelBuilder);
}

/// <summary>A row of the benchmark table.</summary>
internal sealed class Item
{
    public int Id { get; set; }

    public string Name { get; set; } = string.Empty;

    public int Value { get; set; }

    public static void Map(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<Item>(item =>
        {
            item.ToTable("items");
            item.Property(i => i.Id).ValueGeneratedNever();
            item.Property(i => i.Name).HasMaxLength(100);
        });
}
