using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

using LynqDashboard.Web.Tests.Shared;

namespace LynqDashboard.Web.Tests.Endpoints;

[Collection(AppHostCollection.Name)]
public sealed class HealthEndpointTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    [Fact]
    public async Task Health_NoKey_AnswersOkWithTheContractFields()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var root = body.RootElement;
        Assert.Equal("ok", root.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.False, root.GetProperty("model_loaded").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("model_version").ValueKind);
        Assert.True(root.GetProperty("uptime_seconds").GetDouble() >= 0);
    }

    [Fact]
    public async Task StaticFile_FromTheRootWwwroot_IsServedWithItsRealLength()
    {
        using var client = factory.CreateClient();
        var onDisk = await File.ReadAllBytesAsync(Path.Combine(RepositoryRoot(), "wwwroot", "app.css"), TestContext.Current.CancellationToken);

        var served = await client.GetByteArrayAsync("/app.css", TestContext.Current.CancellationToken);

        Assert.NotEmpty(served);
        Assert.Equal(onDisk, served);
    }

    [Fact]
    public async Task Root_ServesTheOverviewWithItsScripts()
    {
        using var client = await factory.SignedInClientAsync(LynqDashboard.Core.Access.LynqRoles.Viewer);
        var html = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.Contains("<title>Overview · LynqDashboard</title>", html, StringComparison.Ordinal);
        Assert.Contains("_framework/blazor.web.js", html, StringComparison.Ordinal);
        Assert.NotEmpty(await client.GetByteArrayAsync("/_content/MudBlazor/MudBlazor.min.css", TestContext.Current.CancellationToken));
        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "registry.db")), "the registry database was not created in the data folder");
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LynqDashboard.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("LynqDashboard.sln not found above the test folder.");
    }
}

/// <summary>Anonymous /health says ok/degraded and the model; why it is degraded is for key holders and signed-in people.</summary>
[Collection(AppHostCollection.Name)]
public sealed class HealthDetailTests
{
    private const string Key = "health-test-key-0123456789";
    private const string Failure = "v2 could not be loaded (s3://lynq-secret-bucket/models/credit_model_v2.zip: access denied); still serving v1.";

    [Fact]
    public async Task Degraded_Anonymous_GetsOnlyTheContractFields_KeyHoldersAndSignedInPeopleGetTheReason()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var factory = new DashboardFactory { Settings = { ["Lynq:Scoring:ApiKeys:0"] = Key } };
        factory.Services.GetRequiredService<LynqDashboard.Core.Scoring.ActiveModel>().ReportFailure(Failure);
        using var anonymous = factory.CreateClient();

        var open = await anonymous.GetStringAsync("/health", cancel);
        using (var body = JsonDocument.Parse(open))
        {
            Assert.Equal(["status", "model_loaded", "model_version", "uptime_seconds"], body.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal("degraded", body.RootElement.GetProperty("status").GetString());
        }

        Assert.DoesNotContain("lynq-secret-bucket", open, StringComparison.Ordinal);
        Assert.DoesNotContain("last_error", await HealthAsync(anonymous, "a-wrong-key-0123456789abc", cancel), StringComparison.Ordinal);
        Assert.Equal(Failure, LastError(await HealthAsync(anonymous, Key, cancel)));
        using var signedIn = await factory.SignedInClientAsync(LynqDashboard.Core.Access.LynqRoles.Viewer);
        Assert.Equal(Failure, LastError(await signedIn.GetStringAsync("/health", cancel)));
    }

    private static async Task<string> HealthAsync(HttpClient client, string key, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("X-API-KEY", key);
        using var response = await client.SendAsync(request, cancel);
        return await response.Content.ReadAsStringAsync(cancel);
    }

    private static string? LastError(string json)
    {
        using var body = JsonDocument.Parse(json);
        return body.RootElement.GetProperty("last_error").GetString();
    }
}
