using Bunit;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Components.Controls;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Components;

/// <summary>Numbers, dates, names and versions as a person reads them, the same way on every page.</summary>
public sealed class FormatTests : ComponentTest
{
    [Theory]
    [InlineData(0.0812, 1, false, "8.1 %")]
    [InlineData(0.0812, 2, false, "8.12 %")]
    [InlineData(0.5, 1, false, "50.0 %")]
    [InlineData(0.5, 1, true, "50 %")]
    [InlineData(1, 0, false, "100 %")]
    public void Percent_IsOneFormatEverywhere(double fraction, int decimals, bool trim, string expected) =>
        Assert.Equal(expected, DisplayFormat.Percent(fraction, decimals, trim));

    [Fact]
    public void Percent_DoesNotFollowTheServersCulture()
    {
        var before = System.Globalization.CultureInfo.CurrentCulture;
        var commaDecimals = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
        (commaDecimals.NumberFormat.NumberDecimalSeparator, commaDecimals.NumberFormat.NumberGroupSeparator) = (",", ".");
        (commaDecimals.NumberFormat.PercentDecimalSeparator, commaDecimals.NumberFormat.PercentGroupSeparator) = (",", ".");
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = commaDecimals;
            Assert.Equal("8.1 %", DisplayFormat.Percent(0.0812));
            Assert.Equal("50,000", DisplayFormat.Count(50_000));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = before;
        }
    }

    [Theory]
    [InlineData(0.0321, "+3.21 pp")]
    [InlineData(-0.0105, "−1.05 pp")]
    [InlineData(0, "0.00 pp")]
    public void Points_AreSigned(double delta, string expected) => Assert.Equal(expected, DisplayFormat.Points(delta));

    [Fact]
    public void Feature_IsTheLabelAPersonReads_AndAnUnknownNameStays()
    {
        Assert.Equal("Total volume (USD)", DisplayFormat.Feature("total_volume_usd"));
        Assert.Equal("DeFi interactions", DisplayFormat.Feature("defi_interactions"));
        Assert.Equal("gas_price_z", DisplayFormat.Feature("gas_price_z"));
    }

    [Fact]
    public void LocalTime_DayAndMonthCannotSwap_TheFirstOfDecemberIsNotTheTwelfthOfJanuary()
    {
        Services.GetRequiredService<ViewerClock>().Set("Europe/London");

        var december = Render<LocalTime>(p => p.Add(c => c.At, new DateTimeOffset(2026, 12, 1, 14, 5, 0, TimeSpan.Zero)));
        var january = Render<LocalTime>(p => p.Add(c => c.At, new DateTimeOffset(2026, 1, 12, 14, 5, 0, TimeSpan.Zero)));
        var dateOnly = Render<LocalTime>(p => p.Add(c => c.At, new DateTimeOffset(2026, 12, 1, 14, 5, 0, TimeSpan.Zero)).Add(c => c.Format, ViewerClock.Date));

        Assert.Equal("2026-12-01 14:05", december.Find("time").TextContent);
        Assert.Equal("2026-01-12 14:05", january.Find("time").TextContent);
        Assert.Equal("2026-12-01", dateOnly.Find("time").TextContent);
    }

    [Fact]
    public void FeatureField_ShowsThousandsSeparators_AndReadsThemBack()
    {
        double? changed = null;
        var cut = Render<FeatureField>(p => p.Add(c => c.Spec, LoanFeatures.TotalVolumeUsd).Add(c => c.Value, 50_000).Add(c => c.ValueChanged, v => changed = v));
        Assert.Equal("50,000", cut.Find("input").GetAttribute("value"));

        cut.Find("input").Input("1,250,000.5");

        cut.WaitForAssertion(() => Assert.Equal(1_250_000.5, changed));
    }

    [Fact]
    public void FeatureField_WholeNumberFieldWithAFraction_ShowsItAsTypedBesideTheRule()
    {
        var cut = Render<FeatureField>(p => p.Add(c => c.Spec, LoanFeatures.TotalTransactions).Add(c => c.Value, 1.5));

        Assert.Equal("1.5", cut.Find("input").GetAttribute("value"));
    }

    [Fact]
    public void MlNetVersion_IsThePackageRelease_NotTheAssemblyVersion()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$", Core.Artifacts.ModelArtifacts.MlNetVersion);
        Assert.NotEqual("1.0.0.0", Core.Artifacts.ModelArtifacts.MlNetVersion);
    }

    [Fact]
    public void VersionFacts_ShowTheStoredMlNetVersion_AndFileNamesAsTheyAre()
    {
        var version = new ModelVersionRecord
        {
            DatasetId = Guid.NewGuid(), Parameters = new TrainingParameters(), Status = VersionStatus.Ready, MlNetVersion = "5.0.1",
            Artifacts = [new ArtifactEntry("feature_config.json", "x", 10), new ArtifactEntry("model.zip", "y", 20)],
        };
        var details = new VersionDetails(version, null, null, null, [], null, []);

        var cut = Render<VersionFacts>(p => p.Add(c => c.Details, details));

        Assert.Equal("5.0.1", cut.Find("[data-testid=mlnet-version]").TextContent);
        var files = cut.FindAll("a.file-name, button.file-name");
        Assert.Equal(["feature_config.json", "model.zip"], files.Select(f => f.TextContent.Trim()));
    }
}
