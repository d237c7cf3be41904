using System.Text.Json;
using LynqDashboard.Core.Registry;
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
            version.Property(v => v.Artifacts).HasConversion(
                a => JsonSerializer.Serialize(a, LynqJson.Compact),
                s => JsonSerializer.Deserialize<List<ArtifactEntry>>(s, LynqJson.Compact) ?? new List<ArtifactEntry>(),
                new ValueComparer<List<ArtifactEntry>>((a, b) => a!.SequenceEqual(b!), a => a.Aggregate(0, (h, e) => HashCode.Combine(h, e)), a => a.ToList()));
            version.Ignore(v => v.Label);
            version.ComplexProperty(v => v.Progress, MapProgress);
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

    private static void MapProgress(ComplexPropertyBuilder<JobProgress> progress) =>
        progress.Property(p => p.Stage).HasMaxLength(40);

    internal static string SnakeCase(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
