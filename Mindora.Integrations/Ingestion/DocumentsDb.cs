using Microsoft.EntityFrameworkCore;
using Mindora.Integrations.Data;

namespace Mindora.Integrations.Ingestion;

/// <summary>
/// The documents of an app in its relational database (PostgreSQL schema <c>app_{name}</c>, or
/// the embedded SQLite file): the <c>documents</c> table and the audit log
/// <c>mindora_audit_log</c>, which gets a row for every change. <c>AddMindoraDocuments()</c> adds
/// it with <c>AddMindoraDbContext</c>; its migrations (one set per provider) are in this assembly
/// and are applied when the app or worker starts.
/// </summary>
public sealed class DocumentsDb(DbContextOptions<DocumentsDb> options) : DbContext(options)
{
    /// <summary>The documents.</summary>
    public DbSet<Document> Documents => Set<Document>();

    /// <summary>One row per change to a document, written in the change's transaction.</summary>
    public DbSet<AuditLogEntry> AuditLog => Set<AuditLogEntry>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<Document>(document =>
        {
            document.ToTable("documents");
            document.Property(d => d.Title).HasMaxLength(Document.MaxTitleLength);
            document.Property(d => d.FileName).HasMaxLength(Document.MaxNameLength);
            document.Property(d => d.ContentType).HasMaxLength(Document.MaxNameLength);
            document.Property(d => d.Sha256).HasMaxLength(64);
            document.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
            document.Property(d => d.IndexTaskId).HasMaxLength(64);
            document.Property(d => d.Tags).HasMaxLength(Document.MaxTagsLength);
            document.Property(d => d.Steps).HasMaxLength(Document.MaxStepsLength);
            document.HasIndex(d => new { d.Status, d.CreatedAt });
        });
        modelBuilder.MapMindoraAuditLog();
    }
}
