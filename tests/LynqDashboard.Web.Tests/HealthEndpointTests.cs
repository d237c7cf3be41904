using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LynqDashboard.Web.Tests;

public sealed class HealthEndpointTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
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
    public async Task Root_ServesTheIndexPage()
    {
        using var client = factory.CreateClient();
        var html = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.Contains("<h1>LynqDashboard</h1>", html, StringComparison.Ordinal);
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
