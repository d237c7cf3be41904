using System.Collections.ObjectModel;
using LynqDashboard.Core.Features;

namespace LynqDashboard.Core.Scoring;

/// <summary>One reason a borrower is given for an answer other than APPROVE (adverse-action style).</summary>
/// <param name="Code">The catalogue's code, e.g. "R09": stable across sentences' rewording within one catalogue version.</param>
/// <param name="Reason">The sentence the borrower reads, e.g. "Too few loans repaid so far".</param>
/// <param name="Feature">The feature whose value raised this applicant's PD.</param>
public sealed record ReasonCode(string Code, string Reason, string Feature);

/// <summary>What the catalogue says when one feature's value raised the PD.</summary>
/// <param name="Code">Short code: letters, digits, '-' or '_' (it is joined with ';' in a scored CSV).</param>
/// <param name="Reason">One plain sentence, without a line break.</param>
public sealed record ReasonEntry(string Code, string Reason);

/// <summary>
/// The versioned catalogue of reason codes: for each feature, the code and sentence given when that feature's value raised
/// this applicant's PD. An answer cites the catalogue's <see cref="Version"/>, so a sentence reworded later never changes
/// what an earlier answer meant. For a feature with a declared direction the sentence names the side that raises the PD
/// ("too few", "too little"); for a feature without one (transactions, DeFi interactions, term, previous loans) the model
/// may use it either way, so the sentence names the factor, not a side ("Length of the loan term asked for").
/// </summary>
public sealed class ReasonCatalogue
{
    /// <summary>Most reasons one answer carries (the usual adverse-action limit).</summary>
    public const int MaxReasons = 4;

    /// <summary>Longest code and sentence accepted.</summary>
    public const int MaxCodeLength = 16;

    public const int MaxReasonLength = 200;

    public const int MaxVersionLength = 64;

    /// <param name="version">What answers cite, e.g. "reasons-1"; change it whenever a code or sentence changes.</param>
    /// <param name="entries">Code and sentence per feature name.</param>
    public ReasonCatalogue(string version, IReadOnlyDictionary<string, ReasonEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Version = version ?? string.Empty;
        Entries = new ReadOnlyDictionary<string, ReasonEntry>(new Dictionary<string, ReasonEntry>(entries, StringComparer.Ordinal));
    }

    /// <summary>The embedded catalogue, used unless Lynq:Reasons overrides entries: one code per feature, R01–R12 in model order.</summary>
    public static ReasonCatalogue Default { get; } = new("reasons-1", new Dictionary<string, ReasonEntry>(StringComparer.Ordinal)
    {
        [LoanFeatures.WalletAgeDays.Name] = new("R01", "The wallet has been in use for too short a time"),
        [LoanFeatures.TotalTransactions.Name] = new("R02", "Number of transactions the wallet has made"),
        [LoanFeatures.TotalVolumeUsd.Name] = new("R03", "Too little value has moved through the wallet"),
        [LoanFeatures.DefiInteractions.Name] = new("R04", "Number of DeFi contracts the wallet has used"),
        [LoanFeatures.LoanAmount.Name] = new("R05", "The amount asked for is high"),
        [LoanFeatures.CollateralValueUsd.Name] = new("R06", "Too little collateral pledged"),
        [LoanFeatures.TermMonths.Name] = new("R07", "Length of the loan term asked for"),
        [LoanFeatures.PreviousLoans.Name] = new("R08", "Number of loans taken before"),
        [LoanFeatures.SuccessfulRepayments.Name] = new("R09", "Too few loans repaid so far"),
        [LoanFeatures.Defaults.Name] = new("R10", "Earlier loans were not repaid"),
        [LoanFeatures.ReputationScore.Name] = new("R11", "On-chain reputation score is too low"),
        [LoanFeatures.CollateralRatio.Name] = new("R12", "Too little collateral for the size of the loan"),
    });

    public string Version { get; }

    /// <summary>Code and sentence per feature name.</summary>
    public IReadOnlyDictionary<string, ReasonEntry> Entries { get; }

    /// <summary>
    /// This catalogue with some entries replaced: each override's null code or sentence keeps this catalogue's. Feature
    /// names are matched ignoring case (configuration keys are); an unknown name is kept as given, for <see cref="Validate"/>.
    /// </summary>
    /// <param name="version">The new catalogue's version; null keeps this one's.</param>
    /// <param name="overrides">Per feature name, the code and/or sentence to use instead.</param>
    public ReasonCatalogue With(string? version, IEnumerable<KeyValuePair<string, (string? Code, string? Reason)>> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var entries = new Dictionary<string, ReasonEntry>(Entries, StringComparer.Ordinal);
        foreach (var (name, (code, reason)) in overrides)
        {
            var key = LoanFeatures.Find(name)?.Name ?? name;
            entries.TryGetValue(key, out var current);
            entries[key] = new ReasonEntry(code ?? current?.Code ?? string.Empty, reason ?? current?.Reason ?? string.Empty);
        }

        return new ReasonCatalogue(version ?? Version, entries);
    }

    /// <summary>Every problem as (key, message), keys relative to the catalogue's section (e.g. "Entries:defaults:Code").</summary>
    public IReadOnlyList<(string Key, string Message)> Validate()
    {
        var errors = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(Version) || Version.Length > MaxVersionLength || Version.Any(char.IsControl))
        {
            errors.Add((nameof(Version), $"must name the catalogue version (1 to {MaxVersionLength} characters, e.g. \"reasons-2\")"));
        }

        foreach (var (name, entry) in Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var key = $"{nameof(Entries)}:{name}";
            if (LoanFeatures.All.All(f => f.Name != name))
            {
                errors.Add((key, $"is not a model feature; use one of {string.Join(", ", LoanFeatures.Names)}"));
            }

            if (entry.Code.Length is 0 or > MaxCodeLength || !entry.Code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                errors.Add(($"{key}:Code", $"must be 1 to {MaxCodeLength} letters, digits, '-' or '_' (got '{entry.Code}')"));
            }

            if (string.IsNullOrWhiteSpace(entry.Reason) || entry.Reason.Length > MaxReasonLength || entry.Reason.Any(char.IsControl))
            {
                errors.Add(($"{key}:Reason", $"must be a sentence a borrower can read: 1 to {MaxReasonLength} characters on one line"));
            }
        }

        foreach (var feature in LoanFeatures.All.Where(f => !Entries.ContainsKey(f.Name)))
        {
            errors.Add(($"{nameof(Entries)}:{feature.Name}", "is missing: every feature needs a code and a sentence, or a feature that raised the PD goes unexplained"));
        }

        foreach (var shared in Entries.Where(e => e.Value.Code.Length > 0).GroupBy(e => e.Value.Code, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            var names = shared.Select(e => e.Key).Order(StringComparer.Ordinal).ToList();
            errors.Add(($"{nameof(Entries)}:{names[^1]}:Code", $"'{shared.Key}' is also the code of {string.Join(", ", names[..^1])}; every code must name one feature"));
        }

        return errors;
    }

    /// <summary>
    /// The reasons for one answer: the features whose value raised the PD (contribution at least
    /// <see cref="CreditScorer.ContributionFloor"/>), largest contribution first, ties in feature order, at most
    /// <see cref="MaxReasons"/>. A feature with a declared direction is given only when the applicant's value lies on the side
    /// that direction calls worse than the baseline: its sentence says "too little" and would be false for a value above
    /// the baseline that the model (against the declared direction, which the monotonicity check reports) made count
    /// against the applicant.
    /// </summary>
    /// <param name="contributions">Per feature (model order): PD minus the PD with that feature at the baseline.</param>
    /// <param name="values">The applicant's feature values, model order.</param>
    /// <param name="baseline">The values the contributions were measured against, model order.</param>
    public IReadOnlyList<ReasonCode> ReasonsFor(ReadOnlySpan<double> contributions, ReadOnlySpan<double> values, ReadOnlySpan<double> baseline)
    {
        var raising = new List<(FeatureSpec Feature, double Contribution, ReasonEntry Entry)>(LoanFeatures.Count);
        foreach (var feature in LoanFeatures.All)
        {
            var i = feature.Index;
            if (contributions[i] >= CreditScorer.ContributionFloor && IsOnTheRaisingSide(feature, values[i], baseline[i])
                && Entries.TryGetValue(feature.Name, out var entry))
            {
                raising.Add((feature, contributions[i], entry));
            }
        }

        raising.Sort((a, b) => b.Contribution != a.Contribution ? b.Contribution.CompareTo(a.Contribution) : a.Feature.Index.CompareTo(b.Feature.Index));
        return [.. raising.Take(MaxReasons).Select(r => new ReasonCode(r.Entry.Code, r.Entry.Reason, r.Feature.Name))];
    }

    /// <summary>True when <paramref name="value"/> lies where the feature's declared direction says the PD is higher than at the baseline (always, without a direction).</summary>
    public static bool IsOnTheRaisingSide(FeatureSpec feature, double value, double baseline)
    {
        ArgumentNullException.ThrowIfNull(feature);
        return feature.Direction switch
        {
            FeatureDirection.RaisesPd => value > baseline,
            FeatureDirection.LowersPd => value < baseline,
            _ => true,
        };
    }
}
