using System.Net;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Jobs;

/// <summary>The documentation pack of a version trained through Hangfire, downloaded over the real HTTP pipeline.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ReportDownloadTests
{
    [Fact]
    public async Task DownloadReports_AsViewer_ServesPdfAndHtml_AndRefusesAnonymous()
    {
        await using var factory = new DashboardFactory();
        using var viewer = await factory.SignedInClientAsync(LynqRoles.Viewer);
        using var anonymous = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var commands = factory.Services.GetRequiredService<RegistryCommands>();
        var registry = factory.Services.GetRequiredService<IModelRegistry>();
        var (_, queued) = await commands.GenerateAndTrainAsync(new DatasetParameters(6_000, 3), new TrainingParameters(Trees: 20));
        var ready = await Eventually.WaitForAsync(() => registry.GetVersionAsync(queued.Id), v => v.Artifacts.Any(a => a.Name == IModelReports.HtmlFile) || v.Status is VersionStatus.Failed, TimeSpan.FromSeconds(120), "the training and its documentation pack");
        var ct = TestContext.Current.CancellationToken;

        using var pdf = await viewer.GetAsync($"/downloads/models/{ready.Number}/{IModelReports.PdfFile}", ct);
        using var html = await viewer.GetAsync($"/downloads/models/{ready.Number}/{IModelReports.HtmlFile}", ct);
        using var refused = await anonymous.GetAsync($"/downloads/models/{ready.Number}/{IModelReports.PdfFile}", ct);

        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync(ct), 0, 5));
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"LYNQ credit-risk model v{ready.Number}", await html.Content.ReadAsStringAsync(ct));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/account/login", refused.Headers.Location?.ToString(), StringComparison.Ordinal);
    }
}
