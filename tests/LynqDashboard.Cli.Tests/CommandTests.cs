using System.Diagnostics;
using System.Text.Json;
using LynqDashboard.Core.Artifacts;

namespace LynqDashboard.Cli.Tests;

public sealed class CommandTests
{
    private const string Applicant = """
        {"wallet_address":"0xabc","wallet_age_days":365,"total_transactions":150,"total_volume_usd":50000,"defi_interactions":25,
         "loan_amount":1000,"collateral_value_usd":1500,"term_months":3,"previous_loans":2,"successful_repayments":2,"defaults":0,"reputation_score":75}
        """;

    [Fact]
    public async Task Generate_WritesCsvAndManifest_ExitsZero()
    {
        using var folder = new TempFolder();

        var (code, output, error) = await CliRunner.RunAsync("generate", "--rows", "3000", "--seed", "5", "--out", folder.File("d.csv"));

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Equal(3001, File.ReadLines(folder.File("d.csv")).Count());
        Assert.True(File.Exists(folder.File("d.manifest.json")));
        Assert.Contains("Wrote 3,000 rows", output, StringComparison.Ordinal);
        Assert.Contains("Generating: 100%", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_TheSameSeedInTwoProcesses_GivesTheSameMetricsAndImportances()
    {
        // Two processes, not two calls: a per-process random seed (like HashCode's) only shows across processes.
        using var folder = new TempFolder();
        string[] Metrics(string name) => [File.ReadAllText(Path.Combine(folder.File(name), ModelArtifacts.MetricsFile))];
        foreach (var name in new[] { "a", "b" })
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "lynq.dll"), "train", "--rows", "4000", "--seed", "3", "--trees", "20", "--out", folder.File(name) })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var drain = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            await drain;
            Assert.True(process.ExitCode == 0, error);
        }

        using var a = JsonDocument.Parse(Metrics("a")[0]);
        Assert.True(a.RootElement.GetProperty("feature_importance").GetArrayLength() > 0);
        Assert.Equal(Metrics("a"), Metrics("b"));
    }

    [Theory]
    [InlineData("--rows", "0", "--rows must be between")]
    [InlineData("--default-rate", "0.9", "--default-rate must be between")]
    public async Task Generate_InvalidValue_NamesTheOption_ExitsTwo(string option, string value, string message)
    {
        using var folder = new TempFolder();
        string[] args = option == "--rows"
            ? ["generate", "--rows", value, "--out", folder.File("d.csv")]
            : ["generate", "--rows", "10", option, value, "--out", folder.File("d.csv")];

        var (code, _, error) = await CliRunner.RunAsync(args);

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("d.csv")));
    }

    [Fact]
    public async Task Train_FromRows_WritesVersionWithDatasetAndPrintsMetrics()
    {
        using var folder = new TempFolder();

        var (code, output, error) = await CliRunner.RunAsync("train", "--rows", "20000", "--seed", "3", "--trees", "50", "--out", folder.File("v1"));

        Assert.True(code == 0, error);
        foreach (var file in new[] { ModelArtifacts.ModelFile, ModelArtifacts.FeatureConfigFile, ModelArtifacts.MetricsFile, "dataset.csv", "dataset.manifest.json" })
        {
            Assert.True(File.Exists(Path.Combine(folder.File("v1"), file)), $"missing {file}");
        }

        Assert.Contains("ROC-AUC", output, StringComparison.Ordinal);
        Assert.Contains("Oracle AUC", output, StringComparison.Ordinal);
        Assert.Contains("Confusion matrix", output, StringComparison.Ordinal);
        Assert.Contains("Training: 100%", output, StringComparison.Ordinal);
        Assert.Single(Directory.GetFileSystemEntries(folder.Path)); // the scratch data folder is gone
    }

    [Fact]
    public async Task TrainEvaluateScore_FromCsv_WorkTogether()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, (await CliRunner.RunAsync("generate", "--rows", "20000", "--seed", "8", "--out", folder.File("d.csv"))).ExitCode);
        var train = await CliRunner.RunAsync("train", "--data", folder.File("d.csv"), "--trees", "40", "--out", folder.File("v2"), "--model-version", "2");
        Assert.True(train.ExitCode == 0, train.Error);

        var evaluate = await CliRunner.RunAsync("evaluate", "--model", folder.File("v2"), "--data", folder.File("d.csv"), "--out", folder.File("m.json"));
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        Assert.Contains("Model version 2", evaluate.Output, StringComparison.Ordinal);
        using (var metrics = JsonDocument.Parse(File.ReadAllText(folder.File("m.json"))))
        {
            Assert.InRange(metrics.RootElement.GetProperty("roc_auc").GetDouble(), 0.7, 1.0);
        }

        var score = await CliRunner.RunAsync("score", "--model", folder.File("v2"), "--json", Applicant);
        Assert.True(score.ExitCode == 0, score.Error);
        using var response = JsonDocument.Parse(score.Output);
        var root = response.RootElement;
        Assert.Equal("2", root.GetProperty("model_version").GetString());
        Assert.False(root.GetProperty("is_fallback").GetBoolean());
        Assert.InRange(root.GetProperty("credit_score").GetInt32(), 100, 1000);
        Assert.Contains(root.GetProperty("risk_level").GetString(), new[] { "VERY_LOW", "LOW", "MEDIUM", "HIGH", "VERY_HIGH" });
        Assert.True(root.GetProperty("top_factors").GetArrayLength() >= 3);
    }

    [Fact]
    public async Task Train_ExistingOutput_RefusesWithoutForce()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("v1"));

        var (code, _, error) = await CliRunner.RunAsync("train", "--rows", "1000", "--out", folder.File("v1"));

        Assert.Equal(2, code);
        Assert.Contains("--force", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_BadCsv_ReportsLineAndColumn_ExitsTwo()
    {
        using var folder = new TempFolder();
        await File.WriteAllTextAsync(folder.File("bad.csv"),
            "wallet_age_days,total_transactions,total_volume_usd,defi_interactions,loan_amount,collateral_value_usd,term_months,previous_loans,successful_repayments,defaults,reputation_score,default_event\n"
            + "365,150,50000,25,1000,1500,3,2,2,0,75,0\n365,150,50000,25,1000,1500,99,2,2,0,75,0\n");

        var (code, _, error) = await CliRunner.RunAsync("train", "--data", folder.File("bad.csv"), "--out", folder.File("v1"));

        Assert.Equal(2, code);
        Assert.Contains("line 3, column term_months", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.File("v1")));
    }

    [Fact]
    public async Task Train_NeitherDataNorRows_ExplainsTheChoice()
    {
        var (code, output, error) = await CliRunner.RunAsync("train", "--out", "/tmp/never");
        Assert.NotEqual(0, code);
        Assert.Contains("--data FILE.csv or --rows N", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_WithoutModel_UsesTheFallback()
    {
        var (code, output, _) = await CliRunner.RunAsync("score", "--json", Applicant);
        Assert.Equal(0, code);
        using var response = JsonDocument.Parse(output);
        Assert.True(response.RootElement.GetProperty("is_fallback").GetBoolean());
    }

    [Fact]
    public async Task Score_DeclinedApplication_PrintsTheReasonCodes()
    {
        // The fallback: reputation 35, two defaults and a 30-day wallet raise the PD, largest first (see the Core reason tests).
        var (code, output, _) = await CliRunner.RunAsync("score", "--json", """
            {"wallet_address":"0x1","wallet_age_days":30,"total_transactions":150,"total_volume_usd":50000,"defi_interactions":25,"loan_amount":1000,
             "collateral_value_usd":1000,"term_months":3,"previous_loans":2,"successful_repayments":0,"defaults":2,"reputation_score":35}
            """);

        Assert.Equal(0, code);
        using var response = JsonDocument.Parse(output);
        Assert.Equal("REJECT", response.RootElement.GetProperty("recommended_action").GetString());
        Assert.Equal(["R10", "R11", "R01"], response.RootElement.GetProperty("reason_codes").EnumerateArray().Select(r => r.GetProperty("code").GetString()));
        Assert.Equal("Earlier loans were not repaid", response.RootElement.GetProperty("reason_codes")[0].GetProperty("reason").GetString());
        Assert.Equal("reasons-1", response.RootElement.GetProperty("reason_catalogue_version").GetString());
    }

    [Fact]
    public async Task Score_InvalidApplication_NamesEachField_ExitsTwo()
    {
        var (code, _, error) = await CliRunner.RunAsync("score", "--json", """{"wallet_address":"0x1","wallet_age_days":-3,"term_months":40}""");
        Assert.Equal(2, code);
        Assert.Contains("wallet_age_days must not be negative", error, StringComparison.Ordinal);
        Assert.Contains("term_months must be at most 36", error, StringComparison.Ordinal);
        Assert.Contains("loan_amount is required", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("generate")]
    [InlineData("train")]
    [InlineData("evaluate")]
    [InlineData("score")]
    public async Task Help_EachVerb_DescribesItsOptions_ExitsZero(string verb)
    {
        var (code, output, _) = await CliRunner.RunAsync(verb, "--help");
        Assert.Equal(0, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains("--", output, StringComparison.Ordinal);
    }
}
