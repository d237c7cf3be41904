using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Serialization;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Tests.Shared;

/// <summary>A real S3-compatible server (fauxqs, from tests/s3-server) on a free loopback port for the test class.</summary>
public sealed class S3ServerFixture : IAsyncLifetime
{
    private Process? _server;

    public string ServiceUrl { get; private set; } = string.Empty;

    /// <summary>A client like a scoring node's: path-style addressing against the local endpoint.</summary>
    public IAmazonS3 CreateClient() => new AmazonS3Client(new BasicAWSCredentials("test", "test"), new AmazonS3Config
    {
        ServiceURL = ServiceUrl,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
    });

    public const string PointerKey = "models/production.json";

    /// <summary>What a promotion leaves in the bucket: model and config, the manifest last, then the pointer.</summary>
    public static async Task PromoteAsync(IAmazonS3 s3, string bucket, string version, string folder)
    {
        var prefix = $"models/credit_model_v{version}";
        var objects = new List<ManifestObject>();
        foreach (var (file, key, role) in new[] { (ModelArtifacts.ModelFile, $"{prefix}.zip", PromotionManifest.ModelRole), (ModelArtifacts.FeatureConfigFile, $"{prefix}_config.json", PromotionManifest.ConfigRole) })
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(folder, file));
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(bytes) });
            objects.Add(new ManifestObject(key, role, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length));
        }

        await PutJsonAsync(s3, bucket, $"{prefix}_manifest.json", new PromotionManifest(version, objects, DateTimeOffset.UtcNow, "test", $"v{version}"));
        await PutJsonAsync(s3, bucket, PointerKey, new ProductionPointer($"{prefix}_manifest.json", version, DateTimeOffset.UtcNow));
    }

    private static Task PutJsonAsync<T>(IAmazonS3 s3, string bucket, string key, T value) =>
        s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = JsonSerializer.Serialize(value, LynqJson.Options) });

    public async ValueTask InitializeAsync()
    {
        // Hosts that configure no keys (like a deployment on an instance role) take the standard AWS chain, which reads
        // these; the local server checks no signature. Set here, not in one test, so no test depends on another's order.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "test");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "test");
        var folder = Path.Combine(BuiltWebApp.Root(), "tests", "s3-server");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "fauxqs")))
        {
            throw new InvalidOperationException($"fauxqs is not installed: run ./test.sh (or npm ci in {folder}).");
        }

        var start = new ProcessStartInfo("node", "start.mjs") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        _server = Process.Start(start)!;
        var line = await _server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        ServiceUrl = line?.Trim() ?? throw new InvalidOperationException("fauxqs did not print its URL.");
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 100 && !(await http.GetAsync($"{ServiceUrl}/health")).IsSuccessStatusCode; attempt++)
        {
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
    }

}
