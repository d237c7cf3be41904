using System.Collections.Concurrent;
using LynqDashboard.Core.Storage;
using LynqDashboard.Infrastructure.Storage;
using LynqDashboard.Tests.Shared;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Tests.Configuration;

/// <summary>
/// A deployment that still names the S3 settings the old way (Lynq:Promotion:ServiceUrl…, Lynq:Scoring:S3ServiceUrl…)
/// starts and reaches its bucket as before, and its log says, for each old key, the Lynq:S3 key to rename it to.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class RenamedS3KeysTests(S3ServerFixture server) : IClassFixture<S3ServerFixture>
{
    [Fact]
    public async Task Start_WithOnlyThePromotionsOldKeys_ReachesTheBucket_AndWarnsNamingEachNewKey()
    {
        var bucket = await BucketAsync();
        var lines = new ConcurrentQueue<string>();
        await using var factory = new DashboardFactory
        {
            Settings =
            {
                ["Lynq:Promotion:Bucket"] = bucket, ["Lynq:Promotion:ServiceUrl"] = server.ServiceUrl, ["Lynq:Promotion:ForcePathStyle"] = "true",
                ["Lynq:Promotion:TimeoutSeconds"] = "17", ["Lynq:Promotion:MaxRetries"] = "2", ["Lynq:Promotion:PartSizeMiB"] = "6",
            },
        };
        using var host = Logged(factory, lines);

        var s3 = host.Services.GetRequiredService<IOptions<S3Options>>().Value;
        await host.Services.GetRequiredService<IObjectStoreFactory>().Open(bucket).EnsureBucketReachableAsync(TestContext.Current.CancellationToken);

        Assert.Equal((server.ServiceUrl, true, 17, 2, 6), (s3.ServiceUrl, s3.ForcePathStyle, s3.TimeoutSeconds, s3.MaxRetries, s3.PartSizeMiB));
        foreach (var name in new[] { "ServiceUrl", "ForcePathStyle", "TimeoutSeconds", "MaxRetries", "PartSizeMiB" })
        {
            Assert.Single(lines, l => l.Contains($"Warning Lynq:Promotion:{name} is an old configuration key: rename it to Lynq:S3:{name}.", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Start_WithAScoringNodesOldKeys_ReachesTheBucket_AndWarnsNamingEachNewKey()
    {
        var bucket = await BucketAsync();
        var lines = new ConcurrentQueue<string>();
        await using var factory = new DashboardFactory
        {
            Settings = { ["Lynq:Scoring:S3ServiceUrl"] = server.ServiceUrl, ["Lynq:Scoring:S3ForcePathStyle"] = "true", ["Lynq:Scoring:S3Region"] = "eu-west-1" },
        };
        using var host = Logged(factory, lines);

        var s3 = host.Services.GetRequiredService<IOptions<S3Options>>().Value;
        await host.Services.GetRequiredService<IObjectStoreFactory>().Open(bucket).EnsureBucketReachableAsync(TestContext.Current.CancellationToken);

        Assert.Equal((server.ServiceUrl, true, "eu-west-1"), (s3.ServiceUrl, s3.ForcePathStyle, s3.Region));
        Assert.Single(lines, l => l.Contains("Lynq:Scoring:S3ServiceUrl is an old configuration key: rename it to Lynq:S3:ServiceUrl.", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("Lynq:Scoring:S3ForcePathStyle is an old configuration key: rename it to Lynq:S3:ForcePathStyle.", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("Lynq:Scoring:S3Region is an old configuration key: rename it to Lynq:S3:Region.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_WithANewKeyAndItsOldOne_UsesTheNewOne_AndSaysTheOldOneIsIgnored()
    {
        var lines = new ConcurrentQueue<string>();
        await using var factory = new DashboardFactory
        {
            Settings =
            {
                ["Lynq:S3:TimeoutSeconds"] = "30", ["Lynq:Promotion:TimeoutSeconds"] = "90",
                ["Lynq:Promotion:Region"] = "eu-west-1", ["Lynq:Scoring:S3Region"] = "us-east-2",
            },
        };
        using var host = Logged(factory, lines);

        var s3 = host.Services.GetRequiredService<IOptions<S3Options>>().Value;

        Assert.Equal((30, "eu-west-1"), (s3.TimeoutSeconds, s3.Region));
        Assert.Single(lines, l => l.Contains("Lynq:Promotion:TimeoutSeconds is an old configuration key and is ignored because Lynq:S3:TimeoutSeconds is set", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("Lynq:Promotion:Region is an old configuration key: rename it to Lynq:S3:Region.", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("Lynq:Scoring:S3Region is an old configuration key and is ignored because Lynq:Promotion:Region is set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_WithOnlyTheNewKeys_WarnsOfNothing()
    {
        var lines = new ConcurrentQueue<string>();
        await using var factory = new DashboardFactory { Settings = { ["Lynq:S3:ServiceUrl"] = server.ServiceUrl, ["Lynq:S3:ForcePathStyle"] = "true" } };
        using var host = Logged(factory, lines);

        Assert.Equal(server.ServiceUrl, host.Services.GetRequiredService<IOptions<S3Options>>().Value.ServiceUrl);
        Assert.NotEmpty(lines);
        Assert.DoesNotContain(lines, l => l.Contains("old configuration key", StringComparison.Ordinal));
    }

    // The host started with a collector that sees every log line from the start on.
    private static Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> Logged(DashboardFactory factory, ConcurrentQueue<string> lines)
    {
        var host = factory.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.AddLogging(logging => logging.AddProvider(new CollectingProvider(lines)).AddFilter<CollectingProvider>(null, LogLevel.Trace))));
        _ = host.Server;
        return host;
    }

    private async Task<string> BucketAsync()
    {
        var bucket = $"renamed-{Guid.NewGuid():N}"[..28];
        using var s3 = server.CreateClient();
        await s3.PutBucketAsync(bucket, TestContext.Current.CancellationToken);
        return bucket;
    }
}
