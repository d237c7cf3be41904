using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Retraining;
using Microsoft.Extensions.Time.Testing;

namespace LynqDashboard.Core.Tests.Retraining;

public sealed class RetrainingAlertTriggerTests
{
    private readonly MemoryRetrainingStore _store = new();
    private readonly RecordingRetrainingScheduler _scheduler = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ProductionOnly _registry = new(production: 3);

    private RetrainingAlertTrigger Trigger => new(_store, _scheduler, _registry, _clock);

    [Fact]
    public async Task PublishAsync_PsiRedOnTheServingVersion_QueuesOnlyUnpausedOnAlertSchedules()
    {
        var onAlert = await AddAsync("on alert", onAlert: true);
        await AddAsync("cron only", onAlert: false);
        await AddAsync("paused", onAlert: true, paused: true);

        await Trigger.PublishAsync(Snapshot(3, MonitoringAlertKind.Psi));

        var (schedule, trigger, _) = Assert.Single(_scheduler.Enqueued);
        Assert.Equal((onAlert.Id, "alert: psi_red on v3"), (schedule, trigger));
        Assert.Equal(_clock.GetUtcNow(), (await _store.GetScheduleAsync(onAlert.Id))!.LastAlertRunAt);
    }

    [Fact]
    public async Task PublishAsync_SecondAlertTheSameDay_QueuesNothingMoreUntilADayHasPassed()
    {
        await AddAsync("on alert", onAlert: true);
        await Trigger.PublishAsync(Snapshot(3, MonitoringAlertKind.BackTestAuc));

        _clock.Advance(TimeSpan.FromHours(23));
        await Trigger.PublishAsync(Snapshot(3, MonitoringAlertKind.Psi));
        Assert.Single(_scheduler.Enqueued);

        _clock.Advance(TimeSpan.FromHours(2));
        await Trigger.PublishAsync(Snapshot(3, MonitoringAlertKind.Psi));
        Assert.Equal(["alert: backtest_auc on v3", "alert: psi_red on v3"], _scheduler.Enqueued.Select(e => e.Trigger));
    }

    [Theory]
    [InlineData(4, MonitoringAlertKind.Psi)] // a version that is not serving
    [InlineData(3, MonitoringAlertKind.Calibration)] // recalibration, not retraining
    public async Task PublishAsync_NotAServingPsiOrAucAlert_QueuesNothing(int version, MonitoringAlertKind kind)
    {
        await AddAsync("on alert", onAlert: true);

        await Trigger.PublishAsync(Snapshot(version, kind));
        await Trigger.PublishAsync(Snapshot(null, MonitoringAlertKind.Psi));

        Assert.Empty(_scheduler.Enqueued);
    }

    private Task<RetrainingSchedule> AddAsync(string name, bool onAlert, bool paused = false) =>
        _store.AddScheduleAsync(new RetrainingSchedule { Name = name, Cron = "0 2 * * *", CreatedBy = "ana", OnAlert = onAlert, Paused = paused });

    private static MonitoringSnapshot Snapshot(int? version, MonitoringAlertKind kind) => new(
        Guid.NewGuid(), version, version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "fallback", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(-7), DateTimeOffset.UtcNow,
        1_000, 600, 0.3, new Dictionary<string, double>(), [], [], [], [new MonitoringAlert(kind, null, 0.3, 0.25, "moved")], new MonitoringThresholds(), 0.1);

    // Only what the trigger asks: which version is in production.
    private sealed class ProductionOnly(int production) : IModelRegistry
    {
        public Task<VersionPage> QueryVersionsAsync(VersionQuery query, CancellationToken cancellationToken = default) =>
            Task.FromResult(query.Status == VersionStatus.Production
                ? new VersionPage([new ModelVersionRecord { Number = production, Status = VersionStatus.Production, Parameters = new() }], 1)
                : throw new NotSupportedException());

        public Task<DatasetRecord> AddDatasetAsync(DatasetRecord dataset, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<DatasetRecord?> GetDatasetAsync(Guid id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<DatasetRecord>> ListDatasetsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<DatasetRecord?> UpdateDatasetAsync(Guid id, Action<DatasetRecord> change, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ModelVersionRecord> AddVersionAsync(ModelVersionRecord version, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ModelVersionRecord?> GetVersionAsync(Guid id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ModelVersionRecord?> GetVersionByNumberAsync(int number, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ModelVersionRecord?> UpdateVersionAsync(Guid id, Action<ModelVersionRecord> change, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> DeleteVersionAsync(Guid id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ActiveRuns> ListActiveRunsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<int> MarkInterruptedAsync(string message, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
