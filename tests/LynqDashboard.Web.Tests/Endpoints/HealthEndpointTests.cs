using System.Net;
using System.Text.Json;

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
