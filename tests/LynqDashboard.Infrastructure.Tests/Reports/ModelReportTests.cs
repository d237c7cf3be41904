using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Governance;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Serialization;
using UglyToad.PdfPig;

namespace LynqDashboard.Infrastructure.Tests.Reports;

/// <summary>The documentation pack of a real small version trained through the workflow, read back with PdfPig and as text.</summary>
public sealed partial class ModelReportTests : IAsyncLifetime
{
    private DashboardBed _bed = null!;
    private ModelVersionRecord _version = null!;

    public async ValueTask InitializeAsync()
    {
        _bed = await DashboardBed.CreateAsync();
        _version = await _bed.TrainAsync(rows: 6_000, trees: 30);
    }

    public async ValueTask DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public void Training_FinishesReady_WritesBothReportsAndListsThemWithTheirDigests()
    {
        Assert.Equal(VersionStatus.Ready, _version.Status);
        foreach (var name in new[] { IModelReports.PdfFile, IModelReports.HtmlFile })
        {
            var entry = Assert.Single(_version.Artifacts, a => a.Name == name);
            var bytes = File.ReadAllBytes(Path.Combine(_bed.Folder(_version), name));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), entry.Sha256);
            Assert.Equal(bytes.Length, entry.SizeBytes);
        }

        Assert.Contains(_version.Artifacts, a => a.Name == ModelArtifacts.ModelFile);
        Assert.Empty(Directory.GetFiles(_bed.Folder(_version), "*.tmp"));
    }

    [Fact]
    public void Pdf_OfATrainedVersion_OpensWithItsPagesChartsVersionAndAuc()
    {
        using var pdf = PdfDocument.Open(File.ReadAllBytes(Path.Combine(_bed.Folder(_version), IModelReports.PdfFile)));
        var pages = pdf.GetPages().ToList();
        var text = Squeeze(string.Concat(pages.Select(p => p.Text)));

        Assert.True(pdf.NumberOfPages >= 3, $"{pdf.NumberOfPages} pages");
        Assert.Contains(Squeeze("LYNQ credit-risk model v1"), text);
        Assert.Contains(Squeeze($"ROC-AUC{AucOnTheVersionPage()}"), text);
        Assert.Contains(Squeeze("10. Approvals and audit trail"), text);
        var chartPage = Assert.Single(pages, p => Squeeze(p.Text).Contains("ROCcurve", StringComparison.Ordinal));
        Assert.True(chartPage.Paths.Count > 40, $"the chart page draws {chartPage.Paths.Count} paths");
    }

    [Fact]
    public void Html_OfATrainedVersion_IsSelfContainedWithTheSameNumbers()
    {
        var html = File.ReadAllText(Path.Combine(_bed.Folder(_version), IModelReports.HtmlFile));

        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(4, Regex.Count(html, "<svg "));
        Assert.Contains("<style>", html);
        Assert.Contains($"<td>ROC-AUC</td><td>{AucOnTheVersionPage()}</td>", html);
        Assert.Contains($"<td>KS</td><td>{F4(_version.Ks!.Value)}</td>", html);
        Assert.Contains($"<td>Gini</td><td>{F4(_version.Gini!.Value)}</td>", html);
        Assert.Contains(_version.DatasetSha256!, html);
        Assert.Contains("LYNQ credit-risk model v1", html);
    }

    [Fact]
    public async Task Rewrite_AfterAnAuditEvent_IncludesItAndReplacesThePreviousFiles()
    {
        var before = _version.Artifacts.Single(a => a.Name == IModelReports.PdfFile);
        await _bed.Audit.AppendAsync(new AuditEvent { At = DateTimeOffset.UtcNow, Actor = "ana@lynq.test", Action = "promotion.requested", Subject = "v1", Detail = "first look at the pack" }, TestContext.Current.CancellationToken);
        await _bed.Audit.AppendAsync(new AuditEvent { At = DateTimeOffset.UtcNow, Actor = "bo@lynq.test", Action = "promotion.requested", Subject = "v12", Detail = "someone else's version" }, TestContext.Current.CancellationToken);

        await _bed.Reports.WriteAsync(_version.Id, TestContext.Current.CancellationToken);

        var after = (await _bed.Registry.GetVersionAsync(_version.Id, TestContext.Current.CancellationToken))!;
        var pdfEntry = Assert.Single(after.Artifacts, a => a.Name == IModelReports.PdfFile);
        Assert.NotEqual(before.Sha256, pdfEntry.Sha256);
        Assert.Equal(_version.Artifacts.Count, after.Artifacts.Count);
        var html = File.ReadAllText(Path.Combine(_bed.Folder(after), IModelReports.HtmlFile));
        Assert.Contains("first look at the pack", html);
        Assert.Contains("ana@lynq.test", html);
        Assert.DoesNotContain("someone else", html);
        using var pdf = PdfDocument.Open(File.ReadAllBytes(Path.Combine(_bed.Folder(after), IModelReports.PdfFile)));
        Assert.Contains(Squeeze("first look at the pack"), Squeeze(string.Concat(pdf.GetPages().Select(p => p.Text))));
    }

    [Fact]
    public async Task Rewrite_WithMonotonicityAndADecidedRequest_ShowsRangesComparisonAndApproval()
    {
        var folder = _bed.Folder(_version);
        File.Delete(Path.Combine(folder, ModelArtifacts.MonotonicityFile));
        await _bed.Reports.WriteAsync(_version.Id, TestContext.Current.CancellationToken);
        var without = File.ReadAllText(Path.Combine(folder, IModelReports.HtmlFile));
        Assert.Contains("<td>higher lowers PD</td><td>not recorded</td>", without);
        Assert.Contains("None was made: the version has not been put forward", without);

        var sweeps = LoanFeatures.All.Where(f => f.Direction != FeatureDirection.None)
            .Select(f => new FeatureMonotonicity(f.Name, f.Direction, 12.5, 4_321.75, 0.09, f.Name == LoanFeatures.CollateralRatio.Name ? 0.11 : 0.05, f.Name == LoanFeatures.CollateralRatio.Name ? 0.62 : 0, 200))
            .ToList();
        LynqJson.WriteFile(Path.Combine(folder, ModelArtifacts.MonotonicityFile), sweeps);
        var set = new ComparisonSet("v1's test split", 900, 72, new ModelMeasures(1, 0.8111, 0.45, 0.01), new ModelMeasures(7, 0.7999, 0.43, 0.02),
            0.0112, -0.002, 0.0244, 0.11, 0.031, [new ActionChange(RecommendedAction.REJECT, RecommendedAction.MANUAL_REVIEW, 17)]);
        await _bed.RequestStore.AddRequestAsync(new PromotionRequestRecord
        {
            VersionId = _version.Id,
            VersionNumber = 1,
            ProductionNumber = 7,
            RequestedBy = "ana@lynq.test",
            RequestedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
            Comment = "better ranking than v7",
            Status = PromotionRequestStatus.Approved,
            DecidedBy = "checker@lynq.test",
            DecidedAt = DateTimeOffset.UtcNow,
            DecisionComment = "challenge done",
            MonotonicityReason = "collateral ratio reviewed with the credit team",
            Review = new PromotionReview(1, 7, [new ReviewCheck("Monotonicity", false, "Collateral ratio against its direction for 62.0 % of applicants", Overridable: true)],
                new ChampionChallengerComparison(1, 7, 3, [set]), sweeps),
        }, TestContext.Current.CancellationToken);

        await _bed.Reports.WriteAsync(_version.Id, TestContext.Current.CancellationToken);

        var html = File.ReadAllText(Path.Combine(folder, IModelReports.HtmlFile));
        Assert.DoesNotContain("not recorded</td>", html);
        Assert.Contains("<td>12.5 to 4,321.75</td>", html);
        Assert.Contains("v1 (challenger) against v7 (production)", html);
        Assert.Contains("<td>ROC-AUC</td><td>0.8111</td><td>0.7999</td>", html);
        Assert.Contains("REJECT → MANUAL_REVIEW 17", html);
        Assert.Contains("checker@lynq.test", html);
        Assert.Contains("monotonicity override: collateral ratio reviewed with the credit team", html);
        Assert.Contains("against the declared direction for 62.0 % of applicants", html);
    }

    private string AucOnTheVersionPage() => F4(_version.RocAuc!.Value);

    private static string F4(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    // PdfPig returns text as drawn: compare without whitespace, which the layout decides.
    private static string Squeeze(string text) => Regex.Replace(text, @"\s+", string.Empty);

    [GeneratedRegex(@"(src|href)\s*=\s*[""']?\s*(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
