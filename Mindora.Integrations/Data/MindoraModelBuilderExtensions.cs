using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mindora.Integrations.Data;

/// <summary>
/// Maps Mindora's ready-made entity types in a context's <c>OnModelCreating</c>. The mappings
/// use no provider-specific column types, so one model serves PostgreSQL and SQLite.
/// </summary>
public static class MindoraModelBuilderExtensions
{
    /// <summary>Maps <see cref="AuditLogEntry"/> to <c>mindora_audit_log</c>; from then on every save writes audit rows.</summary>
    public static EntityTypeBuilder<AuditLogEntry> MapMindoraAuditLog(this ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        var entity = modelBuilder.Entity<AuditLogEntry>();
        entity.ToTable("mindora_audit_log");
        entity.HasKey(e => e.Id);
        entity.Property(e => e.UserName).HasMaxLength(AuditLimits.UserName).IsRequired();
        entity.Property(e => e.Operation).HasConversion<string>().HasMaxLength(16);
        entity.Property(e => e.EntityType).HasMaxLength(AuditLimits.EntityType).IsRequired();
        entity.Property(e => e.EntityKey).HasMaxLength(AuditLimits.EntityKey);
        entity.Property(e => e.Changes).IsRequired();
        entity.Property(e => e.TraceId).HasMaxLength(32);
        entity.HasIndex(e => new { e.EntityType, e.EntityKey });
        entity.HasIndex(e => e.OccurredAt);
        return entity;
    }

    /// <summary>Maps <see cref="FileRecord"/> to <c>mindora_files</c> with a unique (bucket, key).</summary>
    public static EntityTypeBuilder<FileRecord> MapMindoraFileRecords(this ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        var entity = modelBuilder.Entity<FileRecord>();
        entity.ToTable("mindora_files");
        entity.Property(e => e.Bucket).HasMaxLength(63).IsRequired();
        entity.Property(e => e.Key).HasMaxLength(1024).IsRequired();
        entity.Property(e => e.FileName).HasMaxLength(255).IsRequired();
        entity.Property(e => e.ContentType).HasMaxLength(255).IsRequired();
        entity.Property(e => e.Sha256).HasMaxLength(64);
        entity.Property(e => e.UploadedBy).HasMaxLength(200);
        entity.HasIndex(e => new { e.Bucket, e.Key }).IsUnique();
        return entity;
    }

    /// <summary>Maps <see cref="AiProcessingResult"/> to <c>mindora_ai_results</c>, indexed by input and status.</summary>
    public static EntityTypeBuilder<AiProcessingResult> MapMindoraAiProcessingResults(this ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        var entity = modelBuilder.Entity<AiProcessingResult>();
        entity.ToTable("mindora_ai_results");
        entity.Property(e => e.InputRef).HasMaxLength(1024).IsRequired();
        entity.Property(e => e.Model).HasMaxLength(200).IsRequired();
        entity.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        entity.HasIndex(e => e.InputRef);
        entity.HasIndex(e => new { e.Status, e.CreatedAt });
        return entity;
    }
}
