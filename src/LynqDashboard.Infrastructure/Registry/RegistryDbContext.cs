using System.Text.Json;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Governance;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Retraining;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Serialization;
using LynqDashboard.Core.Training;
using LynqDashboard.Infrastructure.Identity;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Infrastructure.Registry;

/// <summary>
/// The registry database: datasets, model versions, promotions, the audit log, API keys, and the dashboard's
/// users and roles (ASP.NET Core Identity); snake_case tables and columns throughout.
/// </summary>
/// <remarks>This type is the SQLite registry (its migrations are in Registry/Migrations); PostgreSQL uses <see cref="PostgresRegistryDbContext"/>, the same model with its own migrations.</remarks>
public class RegistryDbContext : IdentityDbContext<LynqUser>, IDataProtectionKeyContext
{
    public RegistryDbContext(DbContextOptions<RegistryDbContext> options)
        : base(options)
    {
    }

    protected RegistryDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<DatasetRecord> Datasets => Set<DatasetRecord>();

    public DbSet<ModelVersionRecord> Versions => Set<ModelVersionRecord>();

    public DbSet<PromotionRecord> Promotions => Set<PromotionRecord>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    /// <summary>Promotion requests and their four-eyes decisions; never deleted.</summary>
    public DbSet<PromotionRequestRecord> PromotionRequests => Set<PromotionRequestRecord>();

    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();

    /// <summary>The risk policy's versions; rows are only ever added (the newest is active).</summary>
    public DbSet<PolicyRecord> Policies => Set<PolicyRecord>();

    /// <summary>The decision ledger: every answer of every scoring path; pruned after the retention period.</summary>
    public DbSet<DecisionRecord> Decisions => Set<DecisionRecord>();

    /// <summary>What became of decided loans, one per request id, never changed.</summary>
    public DbSet<OutcomeRecord> Outcomes => Set<OutcomeRecord>();

    /// <summary>Each version's frozen monitoring bins.</summary>
    public DbSet<MonitoringBaselineRow> MonitoringBaselines => Set<MonitoringBaselineRow>();

    public DbSet<MonitoringSnapshotRow> MonitoringSnapshots => Set<MonitoringSnapshotRow>();

    /// <summary>Settings an Admin changes from the dashboard (the monitoring schedule, …).</summary>
    public DbSet<StoredSetting> Settings => Set<StoredSetting>();

    /// <summary>Retraining schedules (pause and the overlap lock are columns, so both survive a restart).</summary>
    public DbSet<RetrainingSchedule> RetrainingSchedules => Set<RetrainingSchedule>();

    /// <summary>Every run of every schedule, kept for good.</summary>
    public DbSet<ScheduleRun> ScheduleRuns => Set<ScheduleRun>();

    /// <summary>Signed-in browsers; a cookie counts only while its session here is active.</summary>
    public DbSet<UserSession> UserSessions => Set<UserSession>();

    /// <summary>The keys that protect sign-in cookies and anti-forgery tokens, shared by every web process.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>SQLite cannot order DateTimeOffset, so times are stored as their binary form there; PostgreSQL stores timestamptz.</summary>
    protected virtual bool StoresTimesAsBinary => true;

    /// <summary>
    /// The rows of the one-active-promotion-per-bucket index (statuses are stored as their names), from the one definition
    /// of an active run; the migration that made the index wrote out what it was then, status IN ('Queued', 'Running').
    /// </summary>
    internal static readonly string ActivePromotionFilter = $"status IN ({string.Join(", ", RunStatusMaps.Promotions.Active.Select(s => $"'{s}'"))})";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        if (StoresTimesAsBinary)
        {
            // SQLite cannot order DateTimeOffset; times are always UTC, so their binary form sorts correctly.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder);
        builder.Entity<LynqUser>().ToTable("users");
        builder.Entity<IdentityRole>().ToTable("roles");
        builder.Entity<IdentityUserRole<string>>().ToTable("user_roles");
        builder.Entity<IdentityUserClaim<string>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<string>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<string>>().ToTable("user_tokens");
        builder.Entity<IdentityRoleClaim<string>>().ToTable("role_claims");
        builder.Entity<DataProtectionKey>().ToTable("data_protection_keys");

        builder.Entity<ApiKeyRecord>(key =>
        {
            key.ToTable("api_keys");
            key.HasKey(k => k.Id);
            key.HasIndex(k => k.Sha256).IsUnique();
            key.Property(k => k.Name).HasMaxLength(100);
            key.Property(k => k.Prefix).HasMaxLength(20);
            key.Property(k => k.Sha256).HasMaxLength(64);
            key.Property(k => k.CreatedBy).HasMaxLength(256);
            key.Property(k => k.RevokedBy).HasMaxLength(256);
            key.Ignore(k => k.IsActive);
        });

        builder.Entity<PolicyRecord>(policy =>
        {
            policy.ToTable("risk_policies");

            // The version is the key, assigned by the registry: two saves at once cannot both take the same number.
            policy.HasKey(p => p.Version);
            policy.Property(p => p.Version).ValueGeneratedNever();
            policy.Property(p => p.Name).HasMaxLength(100);
            policy.Property(p => p.CreatedBy).HasMaxLength(256);
            policy.Property(p => p.Note).HasMaxLength(2000);
        });

        builder.Entity<UserSession>(session =>
        {
            session.ToTable("user_sessions");
            session.HasKey(s => s.Id);
            session.HasIndex(s => s.UserId);
            session.HasIndex(s => s.ExpiresAt);
            session.Property(s => s.UserId).HasMaxLength(450);
            session.Property(s => s.EndReason).HasMaxLength(40);
        });

        builder.Entity<DatasetRecord>(dataset =>
        {
            dataset.ToTable("datasets");
            dataset.HasKey(d => d.Id);
            dataset.Property(d => d.Name).HasMaxLength(200);
            dataset.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
            dataset.ComplexProperty(d => d.Progress, MapProgress);
            dataset.HasIndex(d => d.CreatedAt);
        });

        builder.Entity<ModelVersionRecord>(version =>
        {
            version.ToTable("model_versions");
            version.HasKey(v => v.Id);
            version.HasIndex(v => v.Number).IsUnique();
            version.HasIndex(v => v.Status);
            version.HasIndex(v => v.CreatedAt);
            version.Property(v => v.Status).HasConversion<string>().HasMaxLength(20);
            version.Property(v => v.TrainedBy).HasMaxLength(256);
            version.Property(v => v.Parameters).HasConversion(
                p => JsonSerializer.Serialize(p, LynqJson.Compact),
                s => JsonSerializer.Deserialize<TrainingParameters>(s, LynqJson.Compact)!);
            version.Property(v => v.Artifacts).HasConversion(JsonList<ArtifactEntry>(), ListComparer<ArtifactEntry>());
            version.Ignore(v => v.Label);
            version.ComplexProperty(v => v.Progress, MapProgress);
        });

        builder.Entity<PromotionRecord>(promotion =>
        {
            promotion.ToTable("promotions");
            promotion.HasKey(p => p.Id);
            promotion.HasIndex(p => new { p.Bucket, p.CreatedAt });
            promotion.HasIndex(p => p.VersionId);

            // One active promotion or rollback per bucket, enforced by the database: two requests at the same moment
            // cannot both start from the same production version. The filter reads the same on SQLite and PostgreSQL.
            promotion.HasIndex(p => p.Bucket).IsUnique().HasFilter(ActivePromotionFilter).HasDatabaseName("ix_promotions_one_active_per_bucket");
            promotion.Property(p => p.Kind).HasConversion<string>().HasMaxLength(20);
            promotion.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
            promotion.Property(p => p.Bucket).HasMaxLength(63);
            promotion.Property(p => p.ErrorCode).HasMaxLength(100);
            promotion.Property(p => p.Checks).HasConversion(JsonList<PreflightCheck>(), ListComparer<PreflightCheck>());
            promotion.Property(p => p.Objects).HasConversion(JsonList<ManifestObject>(), ListComparer<ManifestObject>());
            promotion.Ignore(p => p.Label);
            promotion.Ignore(p => p.IsRegistryOnly);
            promotion.Ignore(p => p.Where);
            promotion.ComplexProperty(p => p.Progress, MapProgress);
        });

        builder.Entity<PromotionRequestRecord>(request =>
        {
            request.ToTable("promotion_requests");
            request.HasKey(r => r.Id);
            request.HasIndex(r => r.VersionId);
            request.HasIndex(r => r.RequestedAt);

            // One pending request per version, enforced by the database (two clicks at the same moment included).
            request.HasIndex(r => r.VersionId).IsUnique().HasFilter("status = 'Pending'").HasDatabaseName("ix_promotion_requests_one_pending_per_version");
            request.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
            request.Property(r => r.RequestedBy).HasMaxLength(256);
            request.Property(r => r.TrainedBy).HasMaxLength(256);
            request.Property(r => r.DecidedBy).HasMaxLength(256);
            request.Property(r => r.Comment).HasMaxLength(2000);
            request.Property(r => r.DecisionComment).HasMaxLength(2000);
            request.Property(r => r.LeakageReason).HasMaxLength(2000);
            request.Property(r => r.MonotonicityReason).HasMaxLength(2000);
            request.Property(r => r.Review).HasConversion(
                r => JsonSerializer.Serialize(r, LynqJson.Compact),
                s => JsonSerializer.Deserialize<PromotionReview>(s, LynqJson.Compact)!);
            request.Ignore(r => r.Label);
        });

        builder.Entity<DecisionRecord>(decision =>
        {
            decision.ToTable("decisions");
            decision.HasKey(d => d.Id);
            decision.Property(d => d.Id).ValueGeneratedOnAdd();
            decision.HasIndex(d => d.At);
            decision.HasIndex(d => new { d.ModelNumber, d.At });

            // Outcomes find their decision by the request id's hash (RequestKeys): an index of random text slows every insert.
            decision.Property<long>(DecisionRows.RequestKeyProperty);
            decision.HasIndex(DecisionRows.RequestKeyProperty);
            decision.Property(d => d.RequestId).HasMaxLength(100);
            decision.Property(d => d.Channel).HasMaxLength(20);
            decision.Property(d => d.Caller).HasMaxLength(256);
            decision.Property(d => d.ModelVersion).HasMaxLength(64);
            decision.Property(d => d.ModelSha256).HasMaxLength(64);
            decision.Property(d => d.RiskLevel).HasMaxLength(20);
            decision.Property(d => d.Action).HasMaxLength(30);
            decision.Property(d => d.DecisionReason).HasMaxLength(500);
            decision.Property(d => d.ReasonCodes).HasMaxLength(200);
            decision.Property(d => d.ReasonCatalogueVersion).HasMaxLength(40);
            decision.Property(d => d.ShadowVersion).HasMaxLength(64);
            decision.Property(d => d.ShadowAction).HasMaxLength(30);
            decision.Property(d => d.ShadowReasonCodes).HasMaxLength(200);
            decision.Property(d => d.ExperimentArm).HasMaxLength(20);
            decision.Ignore(d => d.PendingShadow);
        });

        builder.Entity<OutcomeRecord>(outcome =>
        {
            outcome.ToTable("outcomes");
            outcome.HasKey(o => o.RequestId);
            outcome.Property(o => o.RequestId).HasMaxLength(100);
            outcome.Property(o => o.RecordedBy).HasMaxLength(256);
            outcome.HasIndex(o => o.ObservedAt);
        });

        builder.Entity<MonitoringBaselineRow>(baseline =>
        {
            baseline.ToTable("monitoring_baselines");
            baseline.HasKey(b => b.VersionNumber);
            baseline.Property(b => b.VersionNumber).ValueGeneratedNever();
        });

        builder.Entity<MonitoringSnapshotRow>(snapshot =>
        {
            snapshot.ToTable("monitoring_snapshots");
            snapshot.HasKey(s => s.Id);
            snapshot.HasIndex(s => new { s.VersionNumber, s.At });
            snapshot.HasIndex(s => s.At);
        });

        builder.Entity<StoredSetting>(setting =>
        {
            setting.ToTable("settings");
            setting.HasKey(s => s.Key);
            setting.Property(s => s.Key).HasMaxLength(100);
            setting.Property(s => s.Value).HasMaxLength(2000);
            setting.Property(s => s.UpdatedBy).HasMaxLength(256);
        });

        builder.Entity<RetrainingSchedule>(schedule =>
        {
            schedule.ToTable("retraining_schedules");
            schedule.HasKey(s => s.Id);
            schedule.HasIndex(s => s.Name).IsUnique();
            schedule.Property(s => s.Name).HasMaxLength(ScheduleDrafts.MaxNameLength);
            schedule.Property(s => s.Cron).HasMaxLength(100);
            schedule.Property(s => s.TimeZone).HasMaxLength(100);
            schedule.Property(s => s.Source).HasConversion<string>().HasMaxLength(20);
            schedule.Property(s => s.CreatedBy).HasMaxLength(256);
            schedule.Property(s => s.Generate).HasConversion(
                p => p == null ? null : JsonSerializer.Serialize(p, LynqJson.Compact),
                s => s == null ? null : JsonSerializer.Deserialize<DatasetParameters>(s, LynqJson.Compact));
            schedule.Property(s => s.Training).HasConversion(
                p => JsonSerializer.Serialize(p, LynqJson.Compact),
                s => JsonSerializer.Deserialize<TrainingParameters>(s, LynqJson.Compact)!);
            schedule.Ignore(s => s.RecurringJobId);
        });

        builder.Entity<ScheduleRun>(run =>
        {
            run.ToTable("schedule_runs");
            run.HasKey(r => r.Id);
            run.HasIndex(r => new { r.ScheduleId, r.Number }).IsUnique();
            run.HasIndex(r => r.StartedAt);
            run.HasOne<RetrainingSchedule>().WithMany().HasForeignKey(r => r.ScheduleId).OnDelete(DeleteBehavior.Cascade);
            run.Property(r => r.Trigger).HasMaxLength(300);
            run.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(20);
            run.Property(r => r.Detail).HasMaxLength(RetrainingRunner.MaxDetailLength);
            run.Property(r => r.Lineage).HasConversion(
                l => l == null ? null : JsonSerializer.Serialize(l, LynqJson.Compact),
                s => s == null ? null : JsonSerializer.Deserialize<LedgerLineage>(s, LynqJson.Compact));
        });

        // Append-only: the migration adds triggers that refuse UPDATE and DELETE on this table.
        builder.Entity<AuditEvent>(audit =>
        {
            audit.ToTable("audit_events");
            audit.HasKey(a => a.Id);
            audit.Property(a => a.Id).ValueGeneratedOnAdd();
            audit.HasIndex(a => a.At);
            audit.Property(a => a.Actor).HasMaxLength(200);
            audit.Property(a => a.Action).HasMaxLength(100);
            audit.Property(a => a.Subject).HasMaxLength(500);
        });

        foreach (var entity in builder.Model.GetEntityTypes())
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
