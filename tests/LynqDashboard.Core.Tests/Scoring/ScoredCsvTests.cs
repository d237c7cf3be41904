using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Tests.Scoring;

public sealed class ScoredCsvTests
{
    private const string Header = "id,wallet_address,wallet_age_days,total_transactions,total_volume_usd,defi_interactions,loan_amount,collateral_value_usd,term_months,note";

    private const string AnswerHeader = "default_probability,credit_score,risk_level,recommended_action,max_loan_amount,interest_rate_suggestion,fraud_score,decision_reason,reason_codes,policy_version,model_version,warnings,error";

    // Hand-made so every written value is known: the writer formats, it does not score.
    private static readonly CreditScoreResult Answer = new CreditScorer().Score(LoanApplication.Example, null) with
    {
        DefaultProbability = 0.1234567,
        CreditScore = 789,
        RiskLevel = RiskLevel.HIGH,
        RecommendedAction = RecommendedAction.REJECT,
        MaxLoanAmount = 0,
        InterestRateSuggestion = 15,
        FraudScore = 0.8,
        DecisionReason = "rule: the maximum loan is $0 (no collateral to lend against)",
        ReasonCodes = [new("R11", "On-chain reputation score is too low", "reputation_score"), new("R09", "Too few loans repaid so far", "successful_repayments")],
        PolicyVersion = 2,
        ModelVersion = "7",
        Warnings = [new FieldProblem("previous_loans", "history impossible, PD less reliable")],
    };

    [Fact]
    public void Write_KeepsEveryInputCellInItsColumn_ThenTheAnswer_AndABadRowKeepsItsCellsWithItsError()
    {
        var csv = $"{Header}\nA-1,0xa,365,150,50000,25,1000,1500,3,\"hello, world\"\nA-2,0xb,365,150,50000,25,0,1500,3,second\nA-3,0xc,30,10,500,2,900,950,12,=HYPERLINK(1)\n";
        var upload = ApplicationCsv.Read(new StringReader(csv), maxRows: 100);
        var writer = new StringWriter();

        ScoredCsv.Write(writer, upload, [Answer, Answer with { DefaultProbability = 0.5, Warnings = [], ReasonCodes = [] }]);

        Assert.Equal(
        [
            $"{Header},{AnswerHeader}",
            "A-1,0xa,365,150,50000,25,1000,1500,3,\"hello, world\",0.123457,789,HIGH,REJECT,0.00,15,0.8,rule: the maximum loan is $0 (no collateral to lend against),R11;R09,2,7,\"history impossible, PD less reliable\",",
            "A-2,0xb,365,150,50000,25,0,1500,3,second,,,,,,,,,,,,,line 3: loan_amount must be at least 0.01 (got 0)",
            "A-3,0xc,30,10,500,2,900,950,12,'=HYPERLINK(1),0.5,789,HIGH,REJECT,0.00,15,0.8,rule: the maximum loan is $0 (no collateral to lend against),,2,7,,",
            string.Empty,
        ], writer.ToString().Split('\n'));
    }

    [Fact]
    public void Rows_LinesThatCannotBeSplitOrHaveTheWrongCellCount_StillGiveOneRowEach_AlignedWithTheHeader()
    {
        var csv = $"{Header}\nA-1,0xa,365,150,50000,25,\"1000,1500,3,x\nA-2,0xb\nA-3,0xc,30,10,500,2,900,950,12,n,extra\n\nA-4,0xd,30,10,500,2,900,950,12,n\n";
        var upload = ApplicationCsv.Read(new StringReader(csv), maxRows: 100);

        var rows = ScoredCsv.Rows(upload, [Answer]).ToList();

        Assert.Equal([2L, 3L, 4L, 6L], rows.Select(r => r.Line));
        Assert.All(rows, r => Assert.Equal(10, r.Input.Count));
        Assert.All(rows, r => Assert.Equal(10 + ScoredCsv.AnswerColumns.Count, ScoredCsv.Cells(r).Count));
        Assert.Equal(Enumerable.Repeat(string.Empty, 10), rows[0].Input);
        Assert.StartsWith("line 2: loan_amount: the quote opened at character 26 is not closed", rows[0].Error, StringComparison.Ordinal);
        Assert.Equal(["A-2", "0xb", "", "", "", "", "", "", "", ""], rows[1].Input);
        Assert.Equal("line 3: has 2 cell(s), the header has 10", rows[1].Error);
        Assert.Equal(["A-3", "0xc", "30", "10", "500", "2", "900", "950", "12", "n"], rows[2].Input);
        Assert.Same(Answer, rows[3].Result);
        Assert.Null(rows[3].Error);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData("-1", "-1")]
    [InlineData("+5", "+5")]
    [InlineData(" -2.5e3 ", " -2.5e3 ")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData(" =cmd", "' =cmd")]
    [InlineData("@x", "'@x")]
    [InlineData("\t5", "'\t5")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=cmd|' /C calc'!A0,\"x\"", "\"'=cmd|' /C calc'!A0,\"\"x\"\"\"")]
    public void Escape_QuotesPerRfc4180_AndDisarmsFormulasButNotNumbers(string cell, string written)
    {
        Assert.Equal(written, ScoredCsv.Escape(cell));
    }

    [Fact]
    public void Rows_ResultCountThatDoesNotMatchTheScoredRows_IsRefused()
    {
        var upload = ApplicationCsv.Read(new StringReader($"{Header}\nA-1,0xa,365,150,50000,25,1000,1500,3,x\n"), maxRows: 100);

        Assert.Throws<ArgumentException>(() => ScoredCsv.Rows(upload, []));
    }
}
