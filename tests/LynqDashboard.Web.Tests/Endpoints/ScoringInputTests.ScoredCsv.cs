using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CsCheck;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Web.Tests.Endpoints;

// The scored CSV through the real pipeline: the caller's cells come back as sent, in their columns, before the answer.
public sealed partial class ScoringInputTests
{
    private const string AnswerHeader = "default_probability,credit_score,risk_level,recommended_action,max_loan_amount,interest_rate_suggestion,fraud_score,decision_reason,reason_codes,policy_version,model_version,warnings,error";

    [Fact]
    public async Task Csv_IdAndExtraColumns_ComeBackAsSentInTheirOrder_ThenTheAnswer_AndABadRowKeepsItsCells()
    {
        const string header = "id,wallet_address,wallet_age_days,total_transactions,total_volume_usd,defi_interactions,loan_amount,collateral_value_usd,term_months,note";
        var csv = $"{header}\nA-1,0xa,365,150,50000,25,1000,1500,3,plain\nA-2,0xb,365,150,50000,25,0,1500,3,second\nA-3,0xc,30,10,500,2,900,950,12,\"a, b\"\n";

        var (status, text, response) = await PostCsvAsync(csv);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("2", "1"), (response.GetValues("X-Rows-Scored").Single(), response.GetValues("X-Rows-Rejected").Single()));
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Equal($"{header},{AnswerHeader}", lines[0]);
        Assert.StartsWith("A-1,0xa,365,150,50000,25,1000,1500,3,plain,", lines[1], StringComparison.Ordinal);
        Assert.Equal("A-2,0xb,365,150,50000,25,0,1500,3,second,,,,,,,,,,,,,line 3: loan_amount must be at least 0.01 (got 0)", lines[2]);
        Assert.StartsWith("A-3,0xc,30,10,500,2,900,950,12,\"a, b\",", lines[3], StringComparison.Ordinal);

        var rows = ReadCsv(text);
        var column = rows[0].Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i, StringComparer.Ordinal);
        Assert.Equal(23, rows[0].Length);
        Assert.All(rows, row => Assert.Equal(23, row.Length));
        Assert.Equal("a, b", rows[3][column["note"]]);
        foreach (var scored in new[] { rows[1], rows[3] })
        {
            Assert.InRange(double.Parse(scored[column["default_probability"]], System.Globalization.CultureInfo.InvariantCulture), 0, 1);
            Assert.Equal("2", scored[column["policy_version"]]);
            Assert.Equal("1", scored[column["model_version"]]);
            Assert.StartsWith("band ", scored[column["decision_reason"]], StringComparison.Ordinal);
            Assert.Equal(string.Empty, scored[column["error"]]);
        }
    }

    [Fact]
    public async Task Csv_ImpossibleHistory_IsScored_WithTheWarningInItsColumn()
    {
        var csv = $"{CsvHeader},previous_loans,successful_repayments,defaults\n0xa,365,150,50000,25,1000,1500,3,1,2,1\n";

        var (status, text, _) = await PostCsvAsync(csv);

        Assert.Equal(HttpStatusCode.OK, status);
        var rows = ReadCsv(text);
        Assert.Equal("successful_repayments (2) + defaults (1) exceed previous_loans (1): the history is impossible, so the PD is less reliable", rows[1][^2]);
        Assert.Equal(string.Empty, rows[1][^1]);
    }

    [Fact]
    public async Task Csv_GeneratedFiles_AnswerAsManyRowsAsWereSent_EachKeepingItsCells_AndNever5xx()
    {
        await CsvBodies.File.SampleAsync(async file =>
        {
            var (status, text, _) = await PostCsvAsync(file.Bytes);
            Assert.True((int)status < 500, $"{(int)status}: {text}");
            if (file.Usable != true || file.Kind is not ("csv" or "csv-header-only"))
            {
                return;
            }

            Assert.Equal(HttpStatusCode.OK, status);
            var sent = ReadLines(Encoding.UTF8.GetString(file.Bytes), ApplicationCsv.MaxLineLength);
            var back = ReadCsv(text);
            var width = sent[0].Cells!.Count;
            Assert.Equal(file.ValidRows + file.InvalidRows, back.Count - 1);
            Assert.Equal(sent.Count, back.Count);
            AssertKept(sent[0].Cells!, back[0], "header");
            Assert.Equal(ScoredCsv.AnswerColumns, back[0][width..]);
            for (var i = 1; i < sent.Count; i++)
            {
                Assert.Equal(width + ScoredCsv.AnswerColumns.Count, back[i].Length);
                if (sent[i].Cells is { } cells && cells.Count == width)
                {
                    AssertKept(cells, back[i], $"line {sent[i].Line}");
                }

                // Exactly one of an answer (its PD) and an error.
                Assert.True(back[i][width].Length > 0 ^ back[i][^1].Length > 0, $"line {sent[i].Line}: {string.Join('|', back[i])}");
            }
        }, iter: 2_000, threads: Threads, print: f => f.ToString());
    }

    // Each cell as sent, or behind the apostrophe that keeps a spreadsheet from running it as a formula.
    private static void AssertKept(IReadOnlyList<string> sent, string[] back, string where)
    {
        for (var c = 0; c < sent.Count; c++)
        {
            Assert.True(back[c] == sent[c] || back[c] == "'" + sent[c], $"{where}, column {c + 1}: sent '{sent[c]}', got '{back[c]}'");
        }
    }

    // The scored CSV read back with the product's own line reader: every line must split.
    private static List<string[]> ReadCsv(string csv)
    {
        var lines = ReadLines(csv, 1 << 20);
        Assert.All(lines, line => Assert.NotNull(line.Cells));
        return [.. lines.Select(line => line.Cells!.ToArray())];
    }

    // Every non-blank line, its cells (null when it cannot be split) as the reader sees them.
    private static List<(long Line, IReadOnlyList<string>? Cells)> ReadLines(string csv, int maxLineLength)
    {
        var reader = new CsvLineReader(new StringReader(csv), maxLineLength);
        var cells = new List<string>();
        var lines = new List<(long, IReadOnlyList<string>?)>();
        while (reader.Read(cells, out var problem))
        {
            lines.Add((reader.LineNumber, problem is null ? [.. cells] : null));
        }

        return lines;
    }

    private Task<(HttpStatusCode Status, string Text, HttpResponseHeaders Headers)> PostCsvAsync(string csv) => PostCsvAsync(Encoding.UTF8.GetBytes(csv));

    private async Task<(HttpStatusCode Status, string Text, HttpResponseHeaders Headers)> PostCsvAsync(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var response = await fixture.Client.PostAsync("/api/ml/credit-score/batch.csv", content, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct), response.Headers);
    }
}
