using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Core.Retraining;

/// <summary>
/// Files a dataset made of the decision ledger's decided loans whose outcome was reported: the features each applicant
/// was scored on, labelled with what happened. The CSV has the registry's dataset layout without true_pd (nobody knows
/// a real loan's true PD, and the reader takes the column as optional); a lineage CSV beside it lists each row's
/// decision id, request id, decision time, observation time and outcome, in row order.
/// </summary>
public sealed class LedgerDatasetBuilder(IDecisionStore decisions, IModelRegistry registry, DataDirectory data, IArtifactStore artifacts, TimeProvider clock)
{
    /// <summary>Fewest decided loans with an outcome a ledger dataset needs: fewer give a test split too small to judge a model by.</summary>
    public const int MinRows = 1_000;

    /// <summary>Fewest defaults among them: the trainer and the AUC need both classes in every split.</summary>
    public const int MinDefaults = 50;

    /// <summary>The lineage file of a dataset CSV: {id}.csv → {id}.lineage.csv.</summary>
    public static string LineagePathFor(string csvPath) => Path.ChangeExtension(csvPath, ".lineage.csv");

    /// <summary>Builds and registers a Ready dataset from the last <paramref name="windowDays"/> days of the ledger.</summary>
    /// <exception cref="LynqException">Conflict when the window holds too few decided loans with outcomes (nothing is filed).</exception>
    public async Task<(DatasetRecord Dataset, LedgerLineage Lineage)> BuildAsync(int windowDays, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowDays, 1);
        var to = clock.GetUtcNow();
        var from = to - TimeSpan.FromDays(windowDays);
        var id = Guid.NewGuid();
        var csv = data.DatasetCsv(id);
        var lineagePath = LineagePathFor(csv);
        var tally = new Tally();
        DatasetManifest manifest;
        try
        {
            await using (var lineage = new StreamWriter(lineagePath, append: false, new UTF8Encoding(false)))
            {
                await lineage.WriteAsync("decision_id,request_id,decided_at,observed_at,defaulted\n".AsMemory(), cancellationToken).ConfigureAwait(false);
                manifest = await DatasetFiles.WriteObservedAsync(RowsAsync(from, to, lineage, tally, cancellationToken), csv, clock, cancellationToken).ConfigureAwait(false);
            }

            if (manifest.RowCount < MinRows || manifest.Defaults < MinDefaults)
            {
                throw LynqException.Conflict(
                    $"the ledger holds only {manifest.RowCount:N0} decided loans with outcomes ({manifest.Defaults:N0} defaults) in the last {windowDays} days (at least {MinRows:N0} with {MinDefaults} defaults are needed)");
            }

            await artifacts.SaveDatasetAsync(id, manifest.Sha256, csv, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Delete(csv, DatasetManifest.PathFor(csv), lineagePath);
            throw;
        }

        var now = clock.GetUtcNow();
        var dataset = await registry.AddDatasetAsync(new DatasetRecord
        {
            Id = id,
            Name = string.Create(CultureInfo.InvariantCulture, $"ledger {from:yyyy-MM-dd}–{to:yyyy-MM-dd} · {manifest.RowCount:N0} loans"),
            Status = DatasetStatus.Ready,
            RequestedRows = (int)manifest.RowCount,
            DefaultRate = manifest.ObservedDefaultRate,
            LabelMode = LabelModeNames.Probabilistic,
            RowCount = manifest.RowCount,
            Defaults = manifest.Defaults,
            ObservedDefaultRate = manifest.ObservedDefaultRate,
            Sha256 = manifest.Sha256,
            SizeBytes = manifest.SizeBytes,
            FilePath = data.Relative(csv),
            Progress = new JobProgress { Stage = "ready", Fraction = 1, Done = manifest.RowCount, Total = manifest.RowCount, UpdatedAt = now },
            CreatedAt = now,
            StartedAt = to,
            FinishedAt = now,
        }, CancellationToken.None).ConfigureAwait(false);
        return (dataset, new LedgerLineage(from, to, (int)manifest.RowCount, (int)manifest.Defaults, tally.First, tally.Last, data.Relative(lineagePath)));
    }

    // The decisions with an outcome as dataset rows; each one's lineage line is written as it passes.
    private async IAsyncEnumerable<GeneratedLoan> RowsAsync(DateTimeOffset from, DateTimeOffset to, StreamWriter lineage, Tally tally, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var decision in decisions.ReadJoinedAsync(from, to, cancellationToken).ConfigureAwait(false))
        {
            if (decision.Defaulted is not { } defaulted || decision.Features is not { Length: LoanFeatures.Count })
            {
                continue;
            }

            tally.First = Math.Min(tally.First, decision.Id);
            tally.Last = Math.Max(tally.Last, decision.Id);
            await lineage.WriteAsync(LineageLine(decision, defaulted).AsMemory(), cancellationToken).ConfigureAwait(false);
            yield return ToLoan(decision.Features, defaulted);
        }
    }

    private static GeneratedLoan ToLoan(double[] f, bool defaulted) => new()
    {
        WalletAgeDays = (int)f[LoanFeatures.WalletAgeDays.Index],
        TotalTransactions = (int)f[LoanFeatures.TotalTransactions.Index],
        TotalVolumeUsd = f[LoanFeatures.TotalVolumeUsd.Index],
        DefiInteractions = (int)f[LoanFeatures.DefiInteractions.Index],
        LoanAmount = f[LoanFeatures.LoanAmount.Index],
        CollateralValueUsd = f[LoanFeatures.CollateralValueUsd.Index],
        TermMonths = (int)f[LoanFeatures.TermMonths.Index],
        PreviousLoans = (int)f[LoanFeatures.PreviousLoans.Index],
        SuccessfulRepayments = (int)f[LoanFeatures.SuccessfulRepayments.Index],
        Defaults = (int)f[LoanFeatures.Defaults.Index],
        ReputationScore = (int)f[LoanFeatures.ReputationScore.Index],
        Default = defaulted,
    };

    private static string LineageLine(JoinedDecision d, bool defaulted) => string.Create(CultureInfo.InvariantCulture,
        $"{d.Id},{Quoted(d.RequestId)},{d.At.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ},{d.ObservedAt?.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ},{(defaulted ? 1 : 0)}\n");

    private static string Quoted(string value) => value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static void Delete(params string[] paths)
    {
        foreach (var path in paths)
        {
            File.Delete(path);
        }
    }

    private sealed class Tally
    {
        public long First { get; set; } = long.MaxValue;

        public long Last { get; set; } = long.MinValue;
    }
}
