using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Tests.Scoring;

public sealed class ReasonCatalogueTests
{
    [Fact]
    public void Default_CoversEveryFeature_WithUniqueCodes_AndIsValid()
    {
        Assert.Empty(ReasonCatalogue.Default.Validate());
        Assert.Equal(LoanFeatures.Names.Order(StringComparer.Ordinal), ReasonCatalogue.Default.Entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(LoanFeatures.Count, ReasonCatalogue.Default.Entries.Values.Select(e => e.Code).Distinct().Count());
        Assert.Contains("collateral", ReasonCatalogue.Default.Entries["collateral_ratio"].Reason, StringComparison.Ordinal);
        Assert.Contains("loan", ReasonCatalogue.Default.Entries["collateral_ratio"].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_IsTheTableTheApiPageShows()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LynqDashboard.sln")))
        {
            dir = dir.Parent;
        }

        var page = File.ReadAllLines(Path.Combine(dir!.FullName, "docs", "scoring-api.md"));

        var rows = page.Where(l => l.StartsWith("| R", StringComparison.Ordinal)).Select(l => l.Split('|', StringSplitOptions.TrimEntries)).ToList();
        Assert.Equal(
            LoanFeatures.All.Select(f => (ReasonCatalogue.Default.Entries[f.Name].Code, f.Name, ReasonCatalogue.Default.Entries[f.Name].Reason)),
            rows.Select(r => (r[1], r[2], r[3])));
        Assert.Contains(page, l => l.Contains($"`{ReasonCatalogue.Default.Version}`", StringComparison.Ordinal));
    }

    [Fact]
    public void With_OnlyASentence_KeepsTheCode_AndMatchesTheFeatureIgnoringCase()
    {
        var catalogue = ReasonCatalogue.Default.With("reasons-2", [KeyValuePair.Create<string, (string?, string?)>("Successful_Repayments", (null, "Not enough loans paid back yet"))]);

        Assert.Equal(new ReasonEntry("R09", "Not enough loans paid back yet"), catalogue.Entries["successful_repayments"]);
        Assert.Equal(LoanFeatures.Count, catalogue.Entries.Count);
        Assert.Equal("reasons-2", catalogue.Version);
        Assert.Empty(catalogue.Validate());
    }

    [Theory]
    [InlineData("defaults", "R09", "Earlier loans were not repaid", "Entries:successful_repayments:Code", "'R09' is also the code of defaults")]
    [InlineData("defaults", "R 10", "Earlier loans were not repaid", "Entries:defaults:Code", "must be 1 to 16 letters, digits, '-' or '_' (got 'R 10')")]
    [InlineData("defaults", "R10;R11", "Earlier loans were not repaid", "Entries:defaults:Code", "must be 1 to 16 letters")]
    [InlineData("defaults", "", "Earlier loans were not repaid", "Entries:defaults:Code", "must be 1 to 16 letters")]
    [InlineData("defaults", "R10", "  ", "Entries:defaults:Reason", "must be a sentence a borrower can read")]
    [InlineData("defaults", "R10", "two\nlines", "Entries:defaults:Reason", "on one line")]
    [InlineData("credit_limit", "R99", "Too much credit", "Entries:credit_limit", "is not a model feature; use one of wallet_age_days")]
    public void Validate_BadEntry_NamesItsKey(string feature, string code, string reason, string key, string message)
    {
        var catalogue = ReasonCatalogue.Default.With("reasons-2", [KeyValuePair.Create<string, (string?, string?)>(feature, (code, reason))]);

        var errors = catalogue.Validate();

        var error = Assert.Single(errors);
        Assert.Equal(key, error.Key);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingFeatureOrVersion_NamesBoth()
    {
        var entries = ReasonCatalogue.Default.Entries.Where(e => e.Key != "term_months").ToDictionary();

        var errors = new ReasonCatalogue(" ", entries).Validate();

        Assert.Equal(["Version", "Entries:term_months"], errors.Select(e => e.Key));
        Assert.Contains("every feature needs a code and a sentence", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReasonsFor_TiesAreInFeatureOrder_AtMostFour_AndADirectedFeatureOnItsBetterSideIsNotGiven()
    {
        var contributions = new double[LoanFeatures.Count];
        foreach (var f in new[] { 0, 2, 5, 9, 10 })
        {
            contributions[f] = 0.01;
        }

        contributions[8] = 0.02;          // successful_repayments raised it most, but the applicant has more than the baseline
        contributions[6] = 0.000_000_5;   // term: below the noise floor
        contributions[4] = -0.03;         // loan amount lowered it
        var values = new double[LoanFeatures.Count];
        var baseline = Enumerable.Repeat(1.0, LoanFeatures.Count).ToArray();
        values[8] = 5;
        values[9] = 2;                    // defaults above the baseline: the raising side of RaisesPd

        var reasons = ReasonCatalogue.Default.ReasonsFor(contributions, values, baseline);

        Assert.Equal(["wallet_age_days", "total_volume_usd", "collateral_value_usd", "defaults"], reasons.Select(r => r.Feature));
    }
}
