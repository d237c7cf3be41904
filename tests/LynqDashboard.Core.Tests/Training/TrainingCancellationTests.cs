using System.Diagnostics;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Tests.Shared;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;

namespace LynqDashboard.Core.Tests.Training;

public sealed class TrainingCancellationTests
{
    [Fact]
    public void CancelHook_ExistsInThisMlNetBuild()
    {
        Assert.True(MlContextCancellation.IsSupported, "MLContext.CancelExecution was not found; training could not be cancelled.");
    }

    [Fact]
    public async Task RunAsync_CancelledMidTraining_StopsPromptlyAndLeavesNothing()
    {
        using var folder = new TempFolder();
        var csv = folder.File("d.csv");
        await DatasetFiles.GenerateAsync(new DatasetParameters(100_000, 3), csv);
        using var cts = new CancellationTokenSource();
        var cancelledAt = 0L;
        var progress = new Progress(p =>
        {
            if (p.TreesDone == 5 && Interlocked.CompareExchange(ref cancelledAt, Stopwatch.GetTimestamp(), 0) == 0)
            {
                cts.Cancel();
            }
        });
        var request = new TrainingRequest(csv, folder.File("v1"), "1", "cancel me", new TrainingParameters(Trees: 3_000));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TrainingPipeline.RunAsync(request, progress, cancellationToken: cts.Token));

        var stoppedAfter = Stopwatch.GetElapsedTime(cancelledAt);
        Assert.True(stoppedAfter < TimeSpan.FromSeconds(5), $"training took {stoppedAfter.TotalSeconds:F1} s to stop");
        Assert.False(Directory.Exists(folder.File("v1")));
        Assert.Equal(["d.csv", "d.manifest.json"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName).Order());
    }

    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
