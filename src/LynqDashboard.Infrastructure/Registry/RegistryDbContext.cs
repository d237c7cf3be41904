using System.Text.Json;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Serialization;
using LynqDashboard.Core.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LynqDashboard.Infrastructure.Registry;

/// <summary>The registry database: datasets and model versions, snake_case tables and columns.</summary>
public sealed class RegistryDbContext(DbContextOptions<RegistryDbContext> options) : DbContext(options)
{
    public DbSet<DatasetRecord> Datasets => Set<DatasetRecord>();

    public DbSet<ModelVersionRecord> Versions => Set<ModelVersionRecord>();

    public DbSet<PromotionRecord> Promotions => Set<PromotionRecord>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);

        // SQLite cannot order DateTimeOffset; times are always UTC, so their binary form sorts correctly.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<DatasetRecord>(dataset =>
        {
            dataset.ToTable("datasets");
            dataset.HasKey(d => d.Id);
            dataset.Property(d => d.Name).HasMaxLength(200);
            dataset.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
            dataset.ComplexProperty(d => d.Progress, MapProgress);
            dataset.HasIndex(d => d.CreatedAt);
        });

        modelBuilder.Entity<ModelVersionRecord>(version =>
        {
            version.ToTable("model_versions");
            version.HasKey(v => v.Id);
            version.HasIndex(v => v.Number).IsUnique();
            version.HasIndex(v => v.Status);
            version.HasIndex(v => v.CreatedAt);
            version.Property(v => v.Status).HasConversion<string>().HasMaxLength(20);
            version.Property(v => v.Parameters).HasConversion(
                p => JsonSerializer.Serialize(p, LynqJson.Compact),
                s => JsonSerializer.Deserialize<TrainingParameters>(s, LynqJson.Compact)!);
            version.Property(v => v.Artifacts).HasConversion(JsonList<ArtifactEntry>(), ListComparer<ArtifactEntry>());
            version.Ignore(v => v.Label);
            version.ComplexProperty(v => v.Progress, MapProgress);
        });

        modelBuilder.Entity<PromotionRecord>(promotion =>
        {
            promotion.ToTable("promotions");
            promotion.HasKey(p => p.Id);
            promotion.HasIndex(p => new { p.Bucket, p.CreatedAt });
            promotion.HasIndex(p => p.VersionId);
            promotion.Property(p => p.Kind).HasConversion<string>().HasMaxLength(20);
            promotion.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
            promotion.Property(p => p.Bucket).HasMaxLength(63);
            promotion.Property(p => p.ErrorCode).HasMaxLength(100);
            promotion.Property(p => p.Checks).HasConversion(JsonList<PreflightCheck>(), ListComparer<PreflightCheck>());
            promotion.Property(p => p.Objects).HasConversion(JsonList<ManifestObject>(), ListComparer<ManifestObject>());
            promotion.Ignore(p => p.Label);
            promotion.ComplexProperty(p => p.Progress, MapProgress);
        });

        // Append-only: the migration adds triggers that refuse UPDATE and DELETE on this table.
        modelBuilder.Entity<AuditEvent>(audit =>
        {
            audit.ToTable("audit_events");
            audit.HasKey(a => a.Id);
            audit.Property(a => a.Id).ValueGeneratedOnAdd();
            audit.HasIndex(a => a.At);
            audit.Property(a => a.Actor).HasMaxLength(200);
            audit.Property(a => a.Action).HasMaxLength(100);
            audit.Property(a => a.Subject).HasMaxLength(500);
        });

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }

            foreach (var complex in entity.GetComplexProperties())
            {
                foreach (var property in complex.ComplexType.GetProperties())
                {
                    property.SetColumnName($"{SnakeCase(complex.Name)}_{SnakeCase(property.Name)}");
                }
            }
        }
    }

    private static ValueConverter<List<T>, string> JsonList<T>() => new(
        list => JsonSerializer.Serialize(list, LynqJson.Compact),
        json => JsonSerializer.Deserialize<List<T>>(json, LynqJson.Compact) ?? new List<T>());

    private static ValueComparer<List<T>> ListComparer<T>() =>
        new((a, b) => a!.SequenceEqual(b!), a => a.Aggregate(0, (h, e) => HashCode.Combine(h, e)), a => a.ToList());

    private static void MapProgress(ComplexPropertyBuilder<JobProgress> progress) =>
        progress.Property(p => p.Stage).HasMaxLength(40);

    internal static string SnakeCase(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
