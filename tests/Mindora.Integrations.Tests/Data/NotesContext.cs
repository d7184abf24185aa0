using Microsoft.EntityFrameworkCore;
using Mindora.Integrations.Data;

namespace Mindora.Integrations.Tests.Data;

/// <summary>The model the data tests run on; its migrations for both providers are in Migrations/ (made with dotnet ef, see docs/data.md).</summary>
public sealed class NotesContext(DbContextOptions<NotesContext> options) : DbContext(options)
{
    public DbSet<Owner> Owners => Set<Owner>();

    public DbSet<Note> Notes => Set<Note>();

    public DbSet<AuditLogEntry> AuditLog => Set<AuditLogEntry>();

    public DbSet<FileRecord> Files => Set<FileRecord>();

    public DbSet<AiProcessingResult> AiResults => Set<AiProcessingResult>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Owner>(owner =>
        {
            owner.ToTable("owners");
            owner.Property(o => o.Name).HasMaxLength(100);
        });
        modelBuilder.Entity<Note>(note =>
        {
            note.ToTable("notes");
            note.Property(n => n.Title).HasMaxLength(200);
            note.Property(n => n.Slug).HasMaxLength(100);
            note.HasIndex(n => n.Slug).IsUnique();
            note.HasOne(n => n.Owner).WithMany().HasForeignKey(n => n.OwnerId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.MapMindoraAuditLog();
        modelBuilder.MapMindoraFileRecords();
        modelBuilder.MapMindoraAiProcessingResults();
    }
}

public sealed class Owner : MindoraEntity
{
    public string Name { get; set; } = string.Empty;
}

public sealed class Note : MindoraEntity
{
    public string Title { get; set; } = string.Empty;

    public string Slug { get; set; } = string.Empty;

    [Sensitive]
    public string? Secret { get; set; }

    public int Priority { get; set; }

    public Guid? OwnerId { get; set; }

    public Owner? Owner { get; set; }
}
