using System.Globalization;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Governance;

/// <summary>The names of a review's checks, in the order they come: a request maps the overridable ones to its written reasons.</summary>
public static class ReviewCheckNames
{
    public const string Quality = "Quality gates";

    /// <summary>Overridable: <see cref="PromotionRequestRecord.LeakageReason"/>.</summary>
    public const string Leakage = "Leakage";

    /// <summary>Overridable: <see cref="PromotionRequestRecord.MonotonicityReason"/>.</summary>
    public const string Monotonicity = "Monotonicity";

    /// <summary>Only when another version is in production and the two could be scored on common rows.</summary>
    public const string AucAgainstProduction = "AUC against production";

    public const string ScorePsi = "Score PSI against production";

    /// <summary>Only when another version is in production but no rows could be compared (no stored features, or too few shared rows).</summary>
    public const string Comparison = "Champion–challenger";
}

/// <summary>
/// Computes what a reviewer sees before approving a version for production: the quality gates on its record, the leakage
/// flag, the monotonicity result, and — when another version is in production — the champion–challenger comparison on
/// rows neither model trained on, with its gates. Reads only; the request workflow stores the result.
/// </summary>
public sealed class PromotionReviewer(IModelRegistry registry, IArtifactStore artifacts, ActivePolicy policy, PromotionGates quality, GovernanceGates gates, TimeProvider clock)
{
    // A version's files never change after training, so a comparison depends only on the two versions and the policy:
    // the review a page shows on selection is not computed again when the request is made. A few are kept.
    private const int KeptComparisons = 16;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid Candidate, Guid Production, int Policy), (IReadOnlyList<ComparisonSet> Sets, string? WhyNone)> _comparisons = new();

    /// <summary>Reviews <paramref name="candidate"/> against the version now in production (if any) at the policy now active.</summary>
    /// <param name="candidate">A version with files (Ready, usually).</param>
    /// <param name="cancellationToken">Stops between steps; scoring 200,000 stored rows takes about a second.</param>
    public async Task<PromotionReview> ReviewAsync(ModelVersionRecord candidate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var activePolicy = policy.Current;
        var reviewedAt = clock.GetUtcNow();
        var inProduction = await registry.QueryVersionsAsync(new VersionQuery(Status: VersionStatus.Production, Take: 1), cancellationToken).ConfigureAwait(false);
        var production = inProduction.Items.Count > 0 ? inProduction.Items[0] : null;
        var reviewed = await LoadAsync(candidate, cancellationToken).ConfigureAwait(false);

        var checks = new List<ReviewCheck> { Quality(candidate), Leakage(candidate) };
        cancellationToken.ThrowIfCancellationRequested();
        var monotonicity = VersionMonotonicity.ReadOrMeasure(reviewed.Folder, reviewed.Version.Rows, () => reviewed.Version.Model.Value);
        checks.Add(Monotonicity(monotonicity));

        ChampionChallengerComparison? comparison = null;
        if (production is not null && production.Id != candidate.Id)
        {
            var key = (candidate.Id, production.Id, activePolicy.Version);
            if (!_comparisons.TryGetValue(key, out var compared))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var champion = await LoadAsync(production, cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                var built = ComparisonSets.Build(reviewed.Version, champion.Version, activePolicy);
                compared = (built, built.Count == 0 ? ComparisonSets.WhyNone(reviewed.Version, champion.Version) : null);
                if (_comparisons.Count >= KeptComparisons)
                {
                    _comparisons.Clear();
                }

                _comparisons[key] = compared;
            }

            var (sets, whyNone) = compared;

            comparison = new ChampionChallengerComparison(candidate.Number, production.Number, activePolicy.Version, sets);
            checks.AddRange(ComparisonChecks(comparison, candidate.Label, production.Label, whyNone));
        }

        return new PromotionReview(candidate.Number, production?.Number, checks, comparison, monotonicity.Features) { ReviewedAt = reviewedAt };
    }

    private async Task<(ReviewedVersion Version, string Folder)> LoadAsync(ModelVersionRecord version, CancellationToken cancellationToken)
    {
        var folder = await artifacts.VersionFolderAsync(version, cancellationToken).ConfigureAwait(false);
        var rows = File.Exists(Path.Combine(folder, ModelArtifacts.TestPredictionsFile))
            ? ModelArtifacts.ReadTestPredictions(folder)
            : new TestPredictions([], [], null);
        return (new ReviewedVersion(version, rows, new Lazy<ScoringModel>(() => ScoringModel.Load(folder))), folder);
    }

    private ReviewCheck Quality(ModelVersionRecord candidate)
    {
        var results = quality.Check(candidate);
        return new ReviewCheck(ReviewCheckNames.Quality, results.All(r => r.Passed), string.Join("; ", results.Select(r => r.Detail)));
    }

    private static ReviewCheck Leakage(ModelVersionRecord candidate)
    {
        var suspects = candidate.LeakageSuspects.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return suspects.Length == 0
            ? new ReviewCheck(ReviewCheckNames.Leakage, true, "No feature separates defaults from non-defaults on its own.", Overridable: true)
            : new ReviewCheck(ReviewCheckNames.Leakage, false,
                $"{string.Join(", ", suspects)} {(suspects.Length == 1 ? "separates" : "each separate")} the classes almost perfectly on {(suspects.Length == 1 ? "its" : "their")} own: usually a column derived from the outcome. Serving it needs a written reason.",
                Overridable: true);
    }

    private ReviewCheck Monotonicity(MonotonicityResult result)
    {
        var limit = gates.MaxShareAgainstDirection;
        if (result.Source == MonotonicitySource.NotMeasured || result.Features.Count == 0)
        {
            return new ReviewCheck(ReviewCheckNames.Monotonicity, false,
                "Not measured for this version: it was trained before test rows kept their features. Retrain it, or write a reason.", Overridable: true);
        }

        var source = result.Source == MonotonicitySource.Training
            ? $"measured at training on {result.Features[0].Applicants:N0} test applicants"
            : $"measured at review on {result.Features[0].Applicants:N0} stored test applicants (ranges from the test split; the version predates monotonicity.json)";
        var over = result.Features.Where(f => f.ShareAgainst > limit).OrderByDescending(f => f.ShareAgainst).ToList();
        if (over.Count > 0)
        {
            return new ReviewCheck(ReviewCheckNames.Monotonicity, false,
                $"PD moves against the declared direction for more than {Percent(limit)} of applicants: {string.Join(", ", over.Select(Describe))} ({source}). Serving it needs a written reason.",
                Overridable: true);
        }

        var worst = result.Features.MaxBy(f => f.ShareAgainst)!;
        return new ReviewCheck(ReviewCheckNames.Monotonicity, true,
            $"Every declared direction holds for at least {Percent(1 - limit)} of applicants; the most against: {Describe(worst)} ({source}).", Overridable: true);
    }

    private IEnumerable<ReviewCheck> ComparisonChecks(ChampionChallengerComparison comparison, string candidate, string production, string? whyNone)
    {
        if (comparison.Sets.Count == 0)
        {
            yield return new ReviewCheck(ReviewCheckNames.Comparison, false, $"{candidate} and {production} could not be scored on common rows: {whyNone}");
            yield break;
        }

        var drops = comparison.Sets.Where(s => s.Candidate.RocAuc < s.Production.RocAuc - gates.MaxAucDrop).ToList();
        yield return new ReviewCheck(ReviewCheckNames.AucAgainstProduction, drops.Count == 0,
            $"{(drops.Count == 0 ? "Within" : "Falls more than")} {Number(gates.MaxAucDrop)} below production on {(drops.Count == 0 ? "every set" : string.Join(" and ", drops.Select(s => s.Name)))}. "
            + string.Join(" ", comparison.Sets.Select(s => AucDetail(s, candidate, production))));

        var shifted = comparison.Sets.Where(s => s.ScorePsi > gates.MaxScorePsi).ToList();
        yield return new ReviewCheck(ReviewCheckNames.ScorePsi, shifted.Count == 0,
            $"PSI of {candidate}'s PDs against {production}'s (production's deciles) must be at most {Number(gates.MaxScorePsi)}: "
            + string.Join("; ", comparison.Sets.Select(s => $"{s.Name}: {s.ScorePsi.ToString("0.0000", CultureInfo.InvariantCulture)}, {s.ChangedActions:N0} of {s.Rows:N0} applicants change action")) + ".");
    }

    private static string AucDetail(ComparisonSet s, string candidate, string production) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{s.Name} ({s.Rows:N0} rows, {s.Defaults:N0} defaults): {candidate} AUC {s.Candidate.RocAuc:0.0000}, {production} AUC {s.Production.RocAuc:0.0000}, difference {s.AucDifference:+0.0000;-0.0000;0.0000} (95 % CI {s.AucDifferenceLow:+0.0000;-0.0000;0.0000} to {s.AucDifferenceHigh:+0.0000;-0.0000;0.0000}, p {s.AucDifferencePValue:0.####}).");

    private static string Describe(FeatureMonotonicity f) =>
        $"{f.Feature} {Percent(f.ShareAgainst)} ({(f.Direction == Features.FeatureDirection.RaisesPd ? "declared to raise PD" : "declared to lower PD")})";

    private static string Percent(double share) => share.ToString("0.0 %", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
