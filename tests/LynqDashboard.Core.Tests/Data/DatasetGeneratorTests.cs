using LynqDashboard.Core;
using System.Globalization;
using System.Security.Cryptography;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Tests.Shared;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Core.Tests.Data;

public sealed class DatasetGeneratorTests
{
    [Theory]
    [InlineData(0.08)]
    [InlineData(0.02)]
    [InlineData(0.30)]
    public void Rows_200kProbabilistic_DefaultRateWithinHalfAPoint(double rate)
    {
        var rows = new DatasetGenerator(new DatasetParameters(200_000, 11, rate)).Rows().ToList();
        Assert.InRange(rows.Average(r => r.Default ? 1.0 : 0.0), rate - 0.005, rate + 0.005);
        Assert.InRange(rows.Average(r => r.TruePd), rate - 0.005, rate + 0.005);
    }

    [Fact]
    public async Task WriteCsv_SameSeedAndParameters_GiveByteIdenticalFiles()
    {
        var parameters = new DatasetParameters(100_000, 123);
        Assert.Equal(await HashAsync(parameters), await HashAsync(parameters));
        Assert.NotEqual(await HashAsync(parameters), await HashAsync(parameters with { Seed = 124 }));
        Assert.NotEqual(await HashAsync(parameters), await HashAsync(parameters with { DefaultRate = 0.1 }));
    }

    [Fact]
    public async Task WriteCsv_ParallelChunks_MatchTheSequentialRows()
    {
        var generator = new DatasetGenerator(new DatasetParameters(40_000, 5));
        using var stream = new MemoryStream();
        var result = await generator.WriteCsvAsync(stream);
        var lines = System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var rows = generator.Rows().ToList();

        Assert.Equal(rows.Count + 1, lines.Length);
        Assert.Equal(rows.Count(r => r.Default), result.Defaults);
        for (var i = 0; i < rows.Count; i += 997)
        {
            var cells = lines[i + 1].Split(',');
            Assert.Equal(rows[i].WalletAgeDays.ToString(CultureInfo.InvariantCulture), cells[0]);
            Assert.Equal(rows[i].LoanAmount.ToString("F2", CultureInfo.InvariantCulture), cells[4]);
            Assert.Equal(rows[i].Default ? "1" : "0", cells[12]);
        }

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(stream.ToArray())), result.Sha256);
    }

    [Theory]
    [InlineData(50_000, 7, 0.08, LabelMode.Probabilistic)]
    [InlineData(20_000, 1234567, 0.3, LabelMode.Probabilistic)]
    [InlineData(16_385, 99, 0.08, LabelMode.LynqOriginal)]
    public async Task WriteCsvKeepingRows_KeepsExactlyWhatTheFileReadsBack(int count, long seed, double rate, LabelMode mode)
    {
        // Training on the kept rows must be training on the file: every value bit for bit what the reader parses.
        var generator = new DatasetGenerator(new DatasetParameters(count, seed, rate, mode));
        using var stream = new MemoryStream();
        var (written, kept) = await generator.WriteCsvKeepingRowsAsync(stream);
        stream.Position = 0;
        using var reader = new StreamReader(stream);
        var read = DatasetCsvReader.Read(reader);

        Assert.Equal(count, written.Rows);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(stream.ToArray())), written.Sha256);
        Assert.Equal(read.Labels, kept.Labels);
        Assert.Equal(read.Defaults, kept.Defaults);
        Assert.Equal(read.Features.Select(BitConverter.SingleToInt32Bits), kept.Features.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(read.TruePd!.Select(BitConverter.SingleToInt32Bits), kept.TruePd!.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Rows_Features_FollowTheRecipesDerivations()
    {
        var rows = new DatasetGenerator(new DatasetParameters(100_000, 3)).Rows().ToList();
        // Collateral = loan ÷ utilization, utilization ~ U(0.10, 0.95): the cushion thins as the risk driver grows.
        Assert.All(rows, r => Assert.InRange(r.CollateralRatio, (1 / 0.95) - 0.001, (1 / 0.10) + 0.001));
        Assert.InRange(rows.Average(r => 1 / r.CollateralRatio), 0.52, 0.53); // the mean of U(0.10, 0.95)
        Assert.All(rows, r => Assert.Contains(r.TermMonths, new[] { 1, 3, 6, 12 }));
        // Some earlier loans are still open: repayments and defaults never add up to more than the loans taken.
        Assert.All(rows, r => Assert.True(r.SuccessfulRepayments + r.Defaults <= r.PreviousLoans));
        Assert.InRange(rows.Average(r => (double)(r.PreviousLoans - r.SuccessfulRepayments - r.Defaults)), 0.38, 0.42); // 20 % of Poisson(2)
        Assert.All(rows, r => Assert.InRange(r.ReputationScore, 0, 100));
        Assert.InRange(rows.Average(r => r.TermMonths == 1 ? 1.0 : 0), 0.19, 0.21);
        Assert.InRange(rows.Average(r => r.TermMonths == 3 ? 1.0 : 0), 0.29, 0.31);
        Assert.InRange(rows.Average(r => r.DefiInteractions), 14.9, 15.1);
        Assert.InRange(rows.Average(r => r.TotalTransactions), 198, 202); // 5 × 30 + 50
        Assert.InRange(rows.Average(r => r.PreviousLoans), 1.98, 2.02);
    }

    [Fact]
    public void Rows_LynqOriginal_KeepTheOriginalScriptsFormulas()
    {
        var rows = new DatasetGenerator(new DatasetParameters(50_000, 3, LabelMode: LabelMode.LynqOriginal)).Rows().ToList();

        Assert.All(rows, r => Assert.InRange(r.CollateralRatio, 1.049, 1.476)); // loan × (1 + utilization × 0.5)
        Assert.All(rows, r => Assert.Equal(r.PreviousLoans, r.SuccessfulRepayments + r.Defaults));
    }

    [Fact]
    public void Rows_Probabilistic_HistoryDoesNotDependOnTheRealisedLabel()
    {
        // Given the true PD, the label adds nothing: reputation looks the same for defaulters and payers.
        var rows = new DatasetGenerator(new DatasetParameters(400_000, 8)).Rows().Where(r => r.TruePd is > 0.10 and < 0.14).ToList();
        var defaulters = rows.Where(r => r.Default).Average(r => r.ReputationScore);
        var payers = rows.Where(r => !r.Default).Average(r => r.ReputationScore);
        Assert.InRange(defaulters - payers, -1.0, 1.0);
    }

    [Fact]
    public void Rows_LynqOriginal_DerivesReputationFromTheLabel()
    {
        var rows = new DatasetGenerator(new DatasetParameters(50_000, 8, 0.08, LabelMode.LynqOriginal)).Rows().ToList();
        Assert.All(rows.Where(r => r.Default), r => Assert.InRange(r.ReputationScore, 10, 45));
        Assert.All(rows.Where(r => !r.Default), r => Assert.InRange(r.ReputationScore, 50, 100));
        // Top 8 % by risk default, then 5 % of labels flip: 0.08 × 0.95 + 0.92 × 0.05 ≈ 12.2 %.
        Assert.InRange(rows.Average(r => r.Default ? 1.0 : 0), 0.115, 0.129);
    }

    [Theory]
    [InlineData(0, 42, 0.08, "rows")]
    [InlineData(50_000_001, 42, 0.08, "rows")]
    [InlineData(1000, 42, 0.004, "default_rate")]
    [InlineData(1000, 42, 0.51, "default_rate")]
    [InlineData(1000, 42, double.NaN, "default_rate")]
    public void Constructor_InvalidParameters_NamesTheParameter(int rows, long seed, double rate, string parameter)
    {
        var errors = new DatasetParameters(rows, seed, rate).Validate();
        Assert.Contains(errors, e => e.Parameter == parameter);
        var thrown = Assert.Throws<LynqException>(() => new DatasetGenerator(new DatasetParameters(rows, seed, rate)));
        Assert.Contains(parameter, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateFile_Cancelled_LeavesNoFile()
    {
        using var folder = new TempFolder();
        using var cts = new CancellationTokenSource();
        var progress = new InlineProgress<GenerationProgress>(_ => cts.Cancel());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            DatasetFiles.GenerateAsync(new DatasetParameters(2_000_000, 1), folder.File("big.csv"), progress, cancellationToken: cts.Token));
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public async Task GenerateFile_WritesManifestDescribingTheCsv()
    {
        using var folder = new TempFolder();
        var parameters = new DatasetParameters(10_000, 77, 0.1);
        var manifest = await DatasetFiles.GenerateAsync(parameters, folder.File("d.csv"));
        var loaded = await DatasetManifest.LoadAsync(DatasetManifest.PathFor(folder.File("d.csv")));

        Assert.Equal(10_000, loaded.RowCount);
        Assert.Equal(manifest.Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(folder.File("d.csv")))));
        Assert.Equal(loaded.Defaults / 10_000.0, loaded.ObservedDefaultRate, 12);
        Assert.Equal("probabilistic", loaded.Generator!.LabelMode);
        Assert.Equal(77, loaded.Generator.Seed);
        Assert.Equal(14, loaded.Columns.Count);
        var json = await File.ReadAllTextAsync(DatasetManifest.PathFor(folder.File("d.csv")));
        Assert.Contains("\"observed_default_rate\"", json, StringComparison.Ordinal);
    }

    private static async Task<string> HashAsync(DatasetParameters parameters)
    {
        using var stream = new MemoryStream();
        return (await new DatasetGenerator(parameters).WriteCsvAsync(stream)).Sha256;
    }
}

internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
