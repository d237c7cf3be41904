using System.Security.Cryptography;
using Amazon.Runtime;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Storage;
using LynqDashboard.Core.Training;
using LynqDashboard.Infrastructure.Storage;
using LynqDashboard.Tests.Shared;

namespace LynqDashboard.Infrastructure.Tests.Storage;

/// <summary>Two processes' copies of one version in a bucket: a file rewritten by one (the report) reaches the other's copy.</summary>
public sealed class BucketArtifactStoreTests(S3ServerFixture server) : IClassFixture<S3ServerFixture>
{
    [Fact]
    public async Task VersionFolder_AfterAnotherProcessRewroteAFile_FetchesThatFileAgain_AndKeepsTheRest()
    {
        var cancel = TestContext.Current.CancellationToken;
        var bucket = $"artifacts-{Guid.NewGuid():N}"[..28];
        using var direct = server.CreateClient();
        await direct.PutBucketAsync(bucket, cancel);
        using var client = new S3Endpoint(ServiceUrl: server.ServiceUrl, ForcePathStyle: true).CreateClient(new BasicAWSCredentials("test", "test"));
        var factory = new S3ObjectStoreFactory(client, new S3Endpoint(ServiceUrl: server.ServiceUrl, ForcePathStyle: true), S3ObjectStore.DefaultPartSize);
        var (web, worker) = (Folder(), Folder());
        using var webStore = new BucketArtifactStore(factory.Open(bucket), "artifacts/", web);
        using var workerStore = new BucketArtifactStore(factory.Open(bucket), "artifacts/", worker);

        // The worker trains v1 and keeps its complete copy.
        var files = new[] { await WriteAsync(worker, "model.zip", "the model"), await WriteAsync(worker, "model_report.pdf", "report at Ready") };
        await workerStore.SaveVersionAsync(1, files, worker.VersionFolder(1), cancel);
        var version = new ModelVersionRecord { Number = 1, Parameters = new TrainingParameters(), Artifacts = [.. files] };

        // The web process fetches it, rewrites the report (an approval) and names the new digest in the registry.
        var webFolder = await webStore.VersionFolderAsync(version, cancel);
        var report = await WriteAsync(web, "model_report.pdf", "report with the approval");
        await webStore.SaveVersionAsync(1, [report], webFolder, cancel);
        version.Artifacts = [files[0], report];
        Assert.Equal(webFolder, await webStore.VersionFolderAsync(version, cancel));
        Assert.Equal("report with the approval", await File.ReadAllTextAsync(Path.Combine(webFolder, "model_report.pdf"), cancel));

        // The worker's copy still names the old report: it fetches the new one, not the whole version.
        var modelBefore = File.GetLastWriteTimeUtc(Path.Combine(worker.VersionFolder(1), "model.zip"));
        var workerFolder = await workerStore.VersionFolderAsync(version, cancel);

        Assert.Equal("report with the approval", await File.ReadAllTextAsync(Path.Combine(workerFolder, "model_report.pdf"), cancel));
        Assert.Equal(modelBefore, File.GetLastWriteTimeUtc(Path.Combine(workerFolder, "model.zip")));
        Assert.Equal(["model.zip", "model_report.pdf"], Directory.GetFiles(workerFolder).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Order(StringComparer.Ordinal));
    }

    private static DataDirectory Folder()
    {
        var data = new DataDirectory(Path.Combine(Path.GetTempPath(), "lynq-bucket-copies", Guid.NewGuid().ToString("N")));
        data.EnsureCreated();
        return data;
    }

    private static async Task<ArtifactEntry> WriteAsync(DataDirectory data, string name, string text)
    {
        Directory.CreateDirectory(data.VersionFolder(1));
        var path = Path.Combine(data.VersionFolder(1), name);
        await File.WriteAllTextAsync(path, text);
        var bytes = await File.ReadAllBytesAsync(path);
        return new ArtifactEntry(name, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length);
    }
}
