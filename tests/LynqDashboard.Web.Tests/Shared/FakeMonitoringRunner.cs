using LynqDashboard.Core.Monitoring;

namespace LynqDashboard.Web.Tests.Shared;

/// <summary>A runner for page tests: stores the snapshot a test prepared and records which version was asked for.</summary>
public sealed class FakeMonitoringRunner(Func<IMonitoringStore> store) : IMonitoringRunner
{
    public MonitoringSnapshot? Next { get; set; }

    public List<int?> Asked { get; } = [];

    public async Task<MonitoringSnapshot> RunAsync(int? versionNumber, CancellationToken cancellationToken = default)
    {
        Asked.Add(versionNumber);
        var snapshot = Next ?? throw new InvalidOperationException("No snapshot prepared.");
        await store().AddSnapshotAsync(snapshot, cancellationToken);
        return snapshot;
    }

    public Task<IReadOnlyList<MonitoringSnapshot>> RunAllAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
