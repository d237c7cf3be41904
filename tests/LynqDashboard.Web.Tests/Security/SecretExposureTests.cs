using System.Collections.Concurrent;
using System.Text;
using Amazon.S3.Model;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Tests.Shared;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LynqDashboard.Web.Tests.Security;

/// <summary>AWS credentials from the environment never reach a log line, the registry, the audit log, a page or the bucket.</summary>
[Collection(AppHostCollection.Name)]
public sealed class SecretExposureTests(S3ServerFixture server) : IClassFixture<S3ServerFixture>
{
    private const string AccessKeyId = "AKIALYNQTESTKEYID0001";
    private const string SecretKey = "lynq/Secret+Never-Log-0123456789abcdefABCDEF";

    [Fact]
    public async Task Promotions_SucceedingAndFailing_NeverExposeTheAwsCredentials()
    {
        var (oldId, oldSecret) = (Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"), Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"));
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", AccessKeyId);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", SecretKey);
        try
        {
            var lines = new ConcurrentQueue<string>();
            var bucket = $"secret-{Guid.NewGuid():N}"[..26];
            using var s3 = server.CreateClient();
            await s3.PutBucketAsync(bucket, TestContext.Current.CancellationToken);
            await using var factory = new DashboardFactory
            {
                Settings =
                {
                    ["Lynq:Promotion:Bucket"] = bucket, ["Lynq:Promotion:ServiceUrl"] = server.ServiceUrl, ["Lynq:Promotion:ForcePathStyle"] = "true",
                    ["Lynq:Promotion:Gates:MinRocAuc"] = "0.6", ["Lynq:Promotion:Gates:MaxCalibrationError"] = "0.2",
                },
            };
            using var logged = factory.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
                services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new CollectingProvider(lines)).AddFilter<CollectingProvider>(null, LogLevel.Trace))));
            var services = logged.Services;
            var (_, version) = await services.GetRequiredService<RegistryCommands>().GenerateAndTrainAsync(new DatasetParameters(8_000, 5), new TrainingParameters(Trees: 20));
            await Eventually.WaitForAsync(() => services.GetRequiredService<IModelRegistry>().GetVersionAsync(version.Id), v => v.Status == VersionStatus.Ready, TimeSpan.FromSeconds(90), "v1");
            var promotions = services.GetRequiredService<IPromotionRegistry>();
            var commands = services.GetRequiredService<PromotionCommands>();

            var promoted = await commands.PromoteAsync(1, DashboardFactory.AdminEmail);
            Assert.Equal(PromotionStatus.Succeeded, (await Eventually.WaitForAsync(() => promotions.GetPromotionAsync(promoted.Id), p => !p.Status.IsActive(), TimeSpan.FromSeconds(60), "the promotion")).Status);
            await s3.DeleteObjectAsync(bucket, PromotionLayout.DefaultPointerKey, TestContext.Current.CancellationToken);
            await s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Objects = [.. (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, TestContext.Current.CancellationToken)).S3Objects.Select(o => new KeyVersion { Key = o.Key })] }, TestContext.Current.CancellationToken);
            await s3.DeleteBucketAsync(bucket, TestContext.Current.CancellationToken);
            var failed = await commands.PromoteAsync(1, DashboardFactory.AdminEmail);
            var failure = await Eventually.WaitForAsync(() => promotions.GetPromotionAsync(failed.Id), p => !p.Status.IsActive(), TimeSpan.FromSeconds(60), "the failing promotion");
            Assert.Equal("NoSuchBucket", failure.ErrorCode);

            using var admin = await DashboardFactory.SignedInClientAsync(logged, LynqRoles.Admin);
            var page = await admin.GetStringAsync("/promotions", TestContext.Current.CancellationToken);
            var records = string.Join('\n', (await promotions.ListPromotionsAsync()).Select(p => $"{p.Error} {p.RequestedBy} {string.Join(' ', p.Checks.Select(c => c.Detail))}"));
            var audit = string.Join('\n', (await services.GetRequiredService<IAuditLog>().ListAsync(0, 500)).Select(a => $"{a.Actor} {a.Action} {a.Subject} {a.Detail}"));
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var database = Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(factory.DataDirectory, "registry.db")));

            Assert.NotEmpty(lines);
            Assert.Contains("promotion of v1", page, StringComparison.Ordinal);
            foreach (var (what, text) in new[] { ("a log line", string.Join('\n', lines)), ("the Promotions page", page), ("a promotion record", records), ("the audit log", audit), ("the registry file", database) })
            {
                Assert.False(text.Contains(SecretKey, StringComparison.Ordinal) || text.Contains(SecretKey[..16], StringComparison.Ordinal), $"the secret key appears in {what}");
                Assert.False(text.Contains(AccessKeyId, StringComparison.Ordinal) || text.Contains(AccessKeyId[..10], StringComparison.Ordinal), $"the access key id appears in {what}");
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", oldId);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", oldSecret);
        }
    }
}
