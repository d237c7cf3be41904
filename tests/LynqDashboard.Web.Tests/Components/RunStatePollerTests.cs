using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Configuration;
using LynqDashboard.Web.Live;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Web.Tests.Components;

/// <summary>A web process that runs no job learns of other processes' runs from the registry, each change once and each end once.</summary>
public sealed class RunStatePollerTests
{
    private readonly FakeRegistry _registry = new();
    private readonly FakePromotions _promotions = new();
    private readonly ManualClock _clock = new(DateTimeOffset.Parse("2026-11-24T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly RunUpdateHub _hub;
    private readonly RunStatePoller _poller;
    private readonly List<RunUpdate> _seen = [];

    public RunStatePollerTests()
    {
        _hub = new RunUpdateHub(_clock);
        _hub.Subscribe(_ => true, _seen.Add);
        _poller = new RunStatePoller(_registry, _promotions, _hub, Microsoft.Extensions.Options.Options.Create(new StorageOptions()), _clock, NullLogger<RunStatePoller>.Instance);
    }

    [Fact]
    public async Task ProgressChanges_ArePublishedOnce_AndTheEndOnceWithItsLabel()
    {
        var version = new ModelVersionRecord { Number = 3, Parameters = new TrainingParameters(), Status = VersionStatus.Running };
        version.Progress.Stage = "training";
        version.Progress.Done = 10;
        version.Progress.Fraction = 0.1;
        _registry.Versions.Add(version);

        await _poller.PollOnceAsync(CancellationToken.None);
        await _poller.PollOnceAsync(CancellationToken.None); // nothing changed: nothing new
        Assert.Single(_seen);
        Assert.Equal((RunKind.Version, version.Id, "Running", 10L), (_seen[0].Kind, _seen[0].Id, _seen[0].Status, _seen[0].Progress.Done));

        version.Progress.Done = 50;
        version.Progress.Fraction = 0.5;
        await _poller.PollOnceAsync(CancellationToken.None);
        Assert.Equal(2, _seen.Count);
        Assert.Equal(50, _seen[1].Progress.Done);

        version.Status = VersionStatus.Ready;
        version.Progress.Fraction = 1;
        await _poller.PollOnceAsync(CancellationToken.None);
        await _poller.PollOnceAsync(CancellationToken.None);
        Assert.Equal(3, _seen.Count);
        Assert.Equal(("Ready", "v3", true), (_seen[2].Status, _seen[2].Label, _seen[2].IsFinished));
    }

    [Fact]
    public async Task ARunReportingHere_IsNotEchoedFromTheDatabase_AndItsEndIsAnnouncedOnce()
    {
        var version = new ModelVersionRecord { Number = 1, Parameters = new TrainingParameters(), Status = VersionStatus.Running };
        _registry.Versions.Add(version);
        _hub.Publish(new RunUpdate(RunKind.Version, version.Id, RunState.Running, "Running", new JobProgress { Done = 5 }));

        await _poller.PollOnceAsync(CancellationToken.None);
        Assert.Single(_seen); // only the local report; the database copy (older) was dropped

        version.Status = VersionStatus.Failed;
        version.Error = "disk full";
        _hub.Publish(new RunUpdate(RunKind.Version, version.Id, RunState.Failed, "Failed", new JobProgress(), "disk full", "v1"));
        await _poller.PollOnceAsync(CancellationToken.None);
        Assert.Equal(2, _seen.Count(u => u.Id == version.Id));
        Assert.Single(_seen, u => u.IsFinished);
    }

    [Fact]
    public async Task DatasetsAndPromotions_FromOtherProcesses_AreFollowedToo()
    {
        var dataset = new DatasetRecord { Name = "loans-100k", RequestedRows = 100_000, Status = DatasetStatus.Generating };
        _registry.Datasets.Add(dataset);
        var promotion = new PromotionRecord { Bucket = "b", KeyPrefix = "models/v2", PointerKey = "models/production.json", RequestedBy = "a@lynq.test", VersionNumber = 2, Status = PromotionStatus.Running };
        _promotions.Records.Add(promotion);

        await _poller.PollOnceAsync(CancellationToken.None);
        dataset.Status = DatasetStatus.Ready;
        promotion.Status = PromotionStatus.Succeeded;
        await _poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal(4, _seen.Count);
        Assert.Contains(_seen, u => u is { Kind: RunKind.Dataset, Status: "Generating" });
        Assert.Contains(_seen, u => u is { Kind: RunKind.Promotion, Status: "Running" });
        Assert.Contains(_seen, u => u is { Kind: RunKind.Promotion, Status: "Succeeded", Label: "promotion of v2" });
        Assert.Contains(_seen, u => u is { Kind: RunKind.Dataset, Status: "Ready", Label: "loans-100k" });
    }
}
