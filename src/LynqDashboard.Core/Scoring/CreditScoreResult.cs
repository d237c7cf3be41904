namespace LynqDashboard.Core.Scoring;

/// <summary>The LYNQ credit-score response (snake_case on the wire).</summary>
public sealed record CreditScoreResult
{
    public required int CreditScore { get; init; }
    public required double FraudScore { get; init; }
    public required double AnomalyScore { get; init; }
    public required RiskLevel RiskLevel { get; init; }
    public required double DefaultProbability { get; init; }
    public required RecommendedAction RecommendedAction { get; init; }
    public required double InterestRateSuggestion { get; init; }
    public required double MaxLoanAmount { get; init; }
    public required double ConfidenceScore { get; init; }
    public required IReadOnlyList<TopFactor> TopFactors { get; init; }

    /// <summary>
    /// Why the answer is not APPROVE, for the borrower: up to <see cref="ReasonCatalogue.MaxReasons"/> features whose value
    /// raised the PD against the baseline, largest first; empty for APPROVE. Present whether or not top factors were asked for.
    /// </summary>
    public required IReadOnlyList<ReasonCode> ReasonCodes { get; init; }

    /// <summary>The reason catalogue version the codes and sentences come from (e.g. "reasons-1").</summary>
    public required string ReasonCatalogueVersion { get; init; }
    public required string ModelVersion { get; init; }
    public required double ProcessingTimeMs { get; init; }
    public required bool IsFallback { get; init; }

    /// <summary>Which policy band or hard rule decided the action, in words.</summary>
    public required string DecisionReason { get; init; }

    /// <summary>The risk policy version that decided.</summary>
    public required int PolicyVersion { get; init; }

    /// <summary>The A/B arm that answered ("champion" or "challenger") while a split runs; left out of the JSON without one.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? ExperimentArm { get; init; }

    /// <summary>What looks wrong in the application without making it invalid (an impossible history); empty when nothing does.</summary>
    public required IReadOnlyList<FieldProblem> Warnings { get; init; }
}

/// <summary>One feature that moved this applicant's PD.</summary>
/// <param name="Feature">Feature name.</param>
/// <param name="Impact">"negative" when the value raises the PD (bad for the applicant), "positive" when it lowers it.</param>
/// <param name="Value">The applicant's value.</param>
/// <param name="Contribution">PD change caused by this value against the training average (PD points, signed; + raises risk).</param>
public sealed record TopFactor(string Feature, string Impact, double Value, double Contribution);
