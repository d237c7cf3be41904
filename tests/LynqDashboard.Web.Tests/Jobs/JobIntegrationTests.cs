using System.Diagnostics;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Web.Tests.Jobs;

/// <summary>Generate and train through the real Hangfire server and the SQLite registry file.</summary>
[Collection(AppHostCollection.Name)]
public sealed class JobIntegrationTests
{
    [Fact]
    public async Task GenerateAndTrain_ThroughHangfire_EndsWithAReadyVersionAndItsFiles()
    {
        await using var factory = new DashboardFactory();
        using var client = await factory.SignedInClientAsync(LynqDashboard.Core.Access.LynqRoles.Viewer);
        var commands = factory.Services.GetRequiredService<RegistryCommands>();
        var registry = factory.Services.GetRequiredService<IModelRegistry>();

        var (dataset, version) = await commands.GenerateAndTrainAsync(new DatasetParameters(10_000, 3), new TrainingParameters(Trees: 30));
        var ready = await Eventually.WaitForAsync(() => registry.GetVersionAsync(version.Id), v => !v.Status.IsActive(), TimeSpan.FromSeconds(90), "the training");

        Assert.Equal(VersionStatus.Ready, ready.Status);
        Assert.Equal(DatasetStatus.Ready, (await registry.GetDatasetAsync(dataset.Id))!.Status);
        var folder = Path.Combine(factory.DataDirectory, ready.ArtifactDirectory!);
        Assert.All(ready.Artifacts, a => Assert.Equal(a.SizeBytes, new FileInfo(Path.Combine(folder, a.Name)).Length));

        var metrics = await client.GetByteArrayAsync($"/downloads/models/{ready.Number}/metrics.json", TestContext.Current.CancellationToken);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(folder, "metrics.json"), TestContext.Current.CancellationToken), metrics);
        var missing = await client.GetAsync($"/downloads/models/{ready.Number}/..%2F..%2Fregistry.db", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Cancel_RunningTraining_StopsWithinSecondsAndLeavesNoFiles()
    {
        await using var factory = new DashboardFactory();
        _ = factory.Server;
        var commands = factory.Services.GetRequiredService<RegistryCommands>();
        var registry = factory.Services.GetRequiredService<IModelRegistry>();
        var (_, version) = await commands.GenerateAndTrainAsync(new DatasetParameters(50_000, 3), new TrainingParameters(Trees: 5_000));
        await Eventually.WaitForAsync(() => registry.GetVersionAsync(version.Id), v => v.Progress.Done >= 3, TimeSpan.FromSeconds(60), "a few trees");

        var clock = Stopwatch.StartNew();
        await commands.CancelVersionAsync(version.Id);
        var cancelled = await Eventually.WaitForAsync(() => registry.GetVersionAsync(version.Id), v => !v.Status.IsActive(), TimeSpan.FromSeconds(30), "the cancellation");

        Assert.Equal(VersionStatus.Cancelled, cancelled.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {clock.Elapsed.TotalSeconds:F1} s");
        Assert.False(Directory.Exists(Path.Combine(factory.DataDirectory, "models", $"v{cancelled.Number}")));
    }

    [Fact]
    public async Task QueuedTrainings_WithOneWorker_RunOneAfterAnother()
    {
        await using var factory = new DashboardFactory();
        _ = factory.Server;
        var commands = factory.Services.GetRequiredService<RegistryCommands>();
        var registry = factory.Services.GetRequiredService<IModelRegistry>();
        var dataset = await commands.GenerateAsync(new DatasetParameters(20_000, 5));
        var versions = new List<ModelVersionRecord>();
        for (var i = 0; i < 4; i++)
        {
            versions.Add(await commands.TrainAsync(dataset.Id, new TrainingParameters(Trees: 60, Seed: i)));
        }

        var mostAtOnce = 0;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            var page = await registry.QueryVersionsAsync(new VersionQuery());
            mostAtOnce = Math.Max(mostAtOnce, page.Items.Count(v => v.Status == VersionStatus.Running));
            if (page.Items.All(v => !v.Status.IsActive()))
            {
                break;
            }

            await Task.Delay(20);
        }

        Assert.Equal(1, mostAtOnce);
        Assert.All(versions, v => Assert.Equal(VersionStatus.Ready, registry.GetVersionAsync(v.Id).Result!.Status));
    }

    [Fact]
    public async Task Restart_AfterAKilledRun_MarksItInterruptedWithAMessage()
    {
        var data = Path.Combine(Path.GetTempPath(), "lynq-web-tests", Guid.NewGuid().ToString("N"));
        Guid id;
        await using (var first = new DashboardFactory { DataDirectoryOverride = data })
        {
            _ = first.Server;
            var registry = first.Services.GetRequiredService<IModelRegistry>();
            id = (await registry.AddVersionAsync(new ModelVersionRecord { DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(), Status = VersionStatus.Running })).Id;
            first.KeepData = true;
        }

        await using var second = new DashboardFactory { DataDirectoryOverride = data };
        _ = second.Server;
        var interrupted = await second.Services.GetRequiredService<IModelRegistry>().GetVersionAsync(id);

        Assert.Equal(VersionStatus.Interrupted, interrupted!.Status);
        Assert.Contains("stopped while this was running", interrupted.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Lynq:Workers", "0", "Lynq:Workers must be between 1 and 16")]
    [InlineData("Lynq:DataDirectory", " ", "Lynq:DataDirectory must name a folder")]
    [InlineData("Lynq:Jobs:RecoverySeconds", "0", "Lynq:Jobs:RecoverySeconds must be between 1 and 3600")]
    [InlineData("Lynq:Jobs:QueuedWithoutJobSeconds", "0", "Lynq:Jobs:QueuedWithoutJobSeconds must be between 1 and 86400")]
    [InlineData("Lynq:Jobs:ServerGoneSeconds", "30", "Lynq:Jobs:ServerGoneSeconds must be between 60 and 86400")]
    [InlineData("Lynq:Scoring:S3CacheKeep", "0", "Lynq:Scoring:S3CacheKeep must be between 1 and 100")]
    [InlineData("Lynq:Scoring:PermitsPerMinute", "0", "Lynq:Scoring:PermitsPerMinute must be between 1")]
    [InlineData("Lynq:Scoring:ApiKeys:0", "short", "Lynq:Scoring:ApiKeys holds a key shorter than 16 characters")]
    [InlineData("Lynq:Scoring:RiskPolicy:Bands:0:UpperPd", "0.9", "Lynq:Scoring:RiskPolicy:Bands:0:UpperPd the last band must end at 1")]
    [InlineData("Lynq:Scoring:ModelSource", "s3", "S3_BUCKET (or Lynq:Scoring:S3Bucket) must name the bucket when MODEL_SOURCE=s3")]
    [InlineData("Lynq:Scoring:ModelSource", "ftp", "MODEL_SOURCE (or Lynq:Scoring:ModelSource) is 'ftp'")]
    [InlineData("Lynq:Promotion:Bucket", "My_Bucket", "Lynq:Promotion:Bucket 'My_Bucket' is not a valid bucket name")]
    [InlineData("Lynq:Promotion:KeyPrefixTemplate", "models/credit_model", "Lynq:Promotion:KeyPrefixTemplate must contain {version}")]
    [InlineData("Lynq:Promotion:PointerKey", "/models/production.json", "Lynq:Promotion:PointerKey must be a relative key")]
    [InlineData("Lynq:S3:PartSizeMiB", "2", "Lynq:S3:PartSizeMiB must be between 5 and 512")]
    [InlineData("Lynq:S3:Region", "Europe", "Lynq:S3:Region 'Europe' is not a region name")]
    [InlineData("Lynq:S3:ServiceUrl", "s3.local", "Lynq:S3:ServiceUrl 's3.local' is not an absolute URL")]
    [InlineData("Lynq:S3:TimeoutSeconds", "0", "Lynq:S3:TimeoutSeconds must be between 1 and 3,600")]
    [InlineData("Lynq:S3:MaxRetries", "11", "Lynq:S3:MaxRetries must be between 0 and 10")]
    [InlineData("Lynq:Promotion:PartSizeMiB", "2", "Lynq:Promotion:PartSizeMiB (renamed Lynq:S3:PartSizeMiB) must be between 5 and 512")]
    [InlineData("Lynq:Promotion:Region", "Europe", "Lynq:Promotion:Region (renamed Lynq:S3:Region) 'Europe' is not a region name")]
    [InlineData("Lynq:Promotion:TimeoutSeconds", "0", "Lynq:Promotion:TimeoutSeconds (renamed Lynq:S3:TimeoutSeconds) must be between 1 and 3,600")]
    [InlineData("Lynq:Promotion:MaxRetries", "11", "Lynq:Promotion:MaxRetries (renamed Lynq:S3:MaxRetries) must be between 0 and 10")]
    [InlineData("Lynq:Promotion:ServiceUrl", "s3.local", "Lynq:Promotion:ServiceUrl (renamed Lynq:S3:ServiceUrl) 's3.local' is not an absolute URL")]
    [InlineData("Lynq:Scoring:S3ServiceUrl", "s3.local", "Lynq:Scoring:S3ServiceUrl (renamed Lynq:S3:ServiceUrl) 's3.local' is not an absolute URL")]
    [InlineData("Lynq:Scoring:S3Region", "Europe", "Lynq:Scoring:S3Region (renamed Lynq:S3:Region) 'Europe' is not a region name")]
    [InlineData("Lynq:Promotion:Gates:MinRocAuc", "0.3", "Lynq:Promotion:Gates:MinRocAuc must be between 0.5 and 1")]
    public async Task Start_InvalidOption_FailsNamingTheKey(string key, string value, string message)
    {
        await using var factory = new DashboardFactory { Settings = { [key] = value } };

        var error = Assert.ThrowsAny<Exception>(() => factory.Server);

        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException ?? (error as AggregateException)?.InnerExceptions.OfType<OptionsValidationException>().FirstOrDefault();
        Assert.NotNull(validation);
        Assert.Contains(message, validation.Message, StringComparison.Ordinal);
    }
}
