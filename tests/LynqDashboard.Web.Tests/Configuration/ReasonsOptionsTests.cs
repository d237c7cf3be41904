using System.Text;
using System.Text.Json;
using LynqDashboard.Web.Tests.Endpoints;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Tests.Configuration;

/// <summary>Lynq:Reasons changes the catalogue every answer cites; a bad one stops the start naming the key.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ReasonsOptionsTests
{
    [Theory]
    [InlineData("Lynq:Reasons:Entries:defaults:Code", "R09", "Lynq:Reasons:Entries:successful_repayments:Code 'R09' is also the code of defaults")]
    [InlineData("Lynq:Reasons:Entries:defaults:Reason", " ", "Lynq:Reasons:Entries:defaults:Reason must be a sentence a borrower can read")]
    [InlineData("Lynq:Reasons:Entries:credit_limit:Code", "R99", "Lynq:Reasons:Entries:credit_limit is not a model feature; use one of wallet_age_days")]
    [InlineData("Lynq:Reasons:Version", "", "Lynq:Reasons:Version must name the catalogue version")]
    public async Task Start_BadCatalogue_FailsNamingTheKey(string key, string value, string message)
    {
        await using var factory = new DashboardFactory { Settings = { [key] = value, ["Lynq:Reasons:Version"] = key.EndsWith(":Version", StringComparison.Ordinal) ? value : "reasons-2" } };

        var validation = ValidationError(Assert.ThrowsAny<Exception>(() => factory.Server));

        Assert.Contains(message, validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ChangedSentenceUnderTheDefaultVersion_FailsAskingForANewVersion()
    {
        await using var factory = new DashboardFactory { Settings = { ["Lynq:Reasons:Entries:defaults:Reason"] = "You did not repay earlier loans" } };

        var validation = ValidationError(Assert.ThrowsAny<Exception>(() => factory.Server));

        Assert.Contains("Lynq:Reasons:Version must be set, and differ from the default's 'reasons-1'", validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_ConfiguredCatalogue_IsWhatTheApiAnswersWith()
    {
        await using var factory = new DashboardFactory
        {
            Settings =
            {
                ["Lynq:Scoring:ApiKeys:0"] = ScoringApiFixture.Key,
                ["Lynq:Reasons:Version"] = "acme-2",
                ["Lynq:Reasons:Entries:defaults:Code"] = "D-1",
                ["Lynq:Reasons:Entries:defaults:Reason"] = "You have loans that were not repaid",
            },
        };
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-KEY", ScoringApiFixture.Key);

        // No model: the fallback answers; three defaults put it far above the approval bands.
        using var response = await client.PostAsync("/api/ml/credit-score", new StringContent("""
            {"wallet_address":"0xabc","wallet_age_days":365,"total_transactions":150,"total_volume_usd":50000,"defi_interactions":25,"loan_amount":1000,
             "collateral_value_usd":1500,"term_months":3,"previous_loans":3,"successful_repayments":0,"defaults":3,"reputation_score":75}
            """, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(body.RootElement.GetProperty("is_fallback").GetBoolean());
        Assert.Equal("acme-2", body.RootElement.GetProperty("reason_catalogue_version").GetString());
        var first = body.RootElement.GetProperty("reason_codes")[0];
        Assert.Equal(("D-1", "You have loans that were not repaid", "defaults"),
            (first.GetProperty("code").GetString(), first.GetProperty("reason").GetString(), first.GetProperty("feature").GetString()));
    }

    private static OptionsValidationException ValidationError(Exception error)
    {
        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException ?? (error as AggregateException)?.InnerExceptions.OfType<OptionsValidationException>().FirstOrDefault();
        Assert.NotNull(validation);
        return validation;
    }
}
