using LynqDashboard.Core.Challengers;
using System.Buffers.Binary;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Monitoring;

/// <summary>
/// One decision as the ledger keeps it: who asked through which path, which model and policy decided, the 12 feature
/// values the model read, and the answer. Rows are only ever added (and pruned after the retention period).
/// </summary>
public sealed class DecisionRecord
{
    /// <summary>Assigned by the store, increasing.</summary>
    public long Id { get; set; }

    public DateTimeOffset At { get; init; }

    /// <summary>
    /// The id an outcome is reported against: the HTTP request's X-Request-ID for a single answer, that id and the item's
    /// index ("{id}-{index}") for a batch item or a CSV row, a new id for a Score-page answer.
    /// </summary>
    public required string RequestId { get; init; }

    /// <summary>Which path decided: one of <see cref="DecisionChannels"/>.</summary>
    public required string Channel { get; init; }

    /// <summary>Who asked: the API key's name ("key:lending-backend") or the signed-in user's e-mail.</summary>
    public required string Caller { get; init; }

    /// <summary>The model version label ("3"), or <see cref="CreditScorer.FallbackVersion"/>.</summary>
    public required string ModelVersion { get; init; }

    /// <summary>The registry's version number; null for the fallback or a model the registry does not know.</summary>
    public int? ModelNumber { get; init; }

    /// <summary>SHA-256 of the version's model.zip (empty for the fallback).</summary>
    public required string ModelSha256 { get; init; }

    public required int PolicyVersion { get; init; }

    /// <summary>The 12 feature values in <see cref="LoanFeatures"/> order, as little-endian doubles (96 bytes); read them with <see cref="FeatureValues"/>.</summary>
    public required byte[] Features { get; init; }

    public required double DefaultProbability { get; init; }

    public required int CreditScore { get; init; }

    public required string RiskLevel { get; init; }

    public required string Action { get; init; }

    public required string DecisionReason { get; init; }

    /// <summary>The reason codes of the answer, joined with ',' ("R03,R07"); empty for APPROVE.</summary>
    public required string ReasonCodes { get; init; }

    public required string ReasonCatalogueVersion { get; init; }

    public required bool IsFallback { get; init; }

    /// <summary>The shadow version's answer beside production's (the challengers issue); null without a shadow.</summary>
    public string? ShadowVersion { get; set; }

    public double? ShadowProbability { get; set; }

    public string? ShadowAction { get; set; }

    public string? ShadowReasonCodes { get; set; }

    /// <summary>The A/B arm that answered ("champion" or "challenger"); null without a split.</summary>
    public string? ExperimentArm { get; set; }

    /// <summary>
    /// The shadow model still to score this application, set on the request path and consumed by the ledger's writer
    /// (<see cref="ShadowScorer"/>) before the row is stored; never stored itself.
    /// </summary>
    public PendingShadow? PendingShadow { get; set; }

    /// <summary>The feature values in <see cref="LoanFeatures"/> order.</summary>
    public double[] FeatureValues() => UnpackFeatures(Features);

    /// <summary>Reads a stored features column (<see cref="Features"/>'s layout) back as values in <see cref="LoanFeatures"/> order.</summary>
    public static double[] UnpackFeatures(ReadOnlySpan<byte> features)
    {
        var values = new double[LoanFeatures.Count];
        for (var f = 0; f < values.Length && (f + 1) * sizeof(double) <= features.Length; f++)
        {
            values[f] = BinaryPrimitives.ReadDoubleLittleEndian(features[(f * sizeof(double))..]);
        }

        return values;
    }

    /// <summary>Packs an application's feature values as <see cref="Features"/> stores them.</summary>
    public static byte[] PackFeatures(LoanApplication application)
    {
        ArgumentNullException.ThrowIfNull(application);
        var bytes = new byte[LoanFeatures.Count * sizeof(double)];
        foreach (var feature in LoanFeatures.All)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(feature.Index * sizeof(double)), application.Get(feature));
        }

        return bytes;
    }

    /// <summary>The ledger row of one answer.</summary>
    /// <param name="at">When it was decided.</param>
    /// <param name="requestId">See <see cref="RequestId"/>.</param>
    /// <param name="channel">One of <see cref="DecisionChannels"/>.</param>
    /// <param name="caller">See <see cref="Caller"/>.</param>
    /// <param name="application">What was scored.</param>
    /// <param name="result">The answer.</param>
    /// <param name="model">The model that answered (null: the fallback).</param>
    /// <param name="modelNumber">Its registry number, when known.</param>
    /// <param name="arm">The A/B arm that answered, or null without a split.</param>
    /// <param name="shadow">The shadow version to score the application off the request path, or null.</param>
    public static DecisionRecord From(
        DateTimeOffset at, string requestId, string channel, string caller, LoanApplication application, CreditScoreResult result, ScoringModel? model, int? modelNumber,
        string? arm = null, ShadowModel? shadow = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new DecisionRecord
        {
            At = at,
            RequestId = requestId,
            Channel = channel,
            Caller = caller,
            ModelVersion = result.ModelVersion,
            ModelNumber = model is null ? null : modelNumber,
            ModelSha256 = model?.Sha256 ?? string.Empty,
            PolicyVersion = result.PolicyVersion,
            Features = PackFeatures(application),
            DefaultProbability = result.DefaultProbability,
            CreditScore = result.CreditScore,
            RiskLevel = result.RiskLevel.ToString(),
            Action = result.RecommendedAction.ToString(),
            DecisionReason = result.DecisionReason,
            ReasonCodes = string.Join(',', result.ReasonCodes.Select(r => r.Code)),
            ReasonCatalogueVersion = result.ReasonCatalogueVersion,
            IsFallback = result.IsFallback,
            ExperimentArm = arm,
            PendingShadow = shadow is null ? null : new PendingShadow(shadow, application),
        };
    }
}

/// <summary>The paths a decision can come through, as the ledger names them.</summary>
public static class DecisionChannels
{
    public const string Api = "api";
    public const string ApiBatch = "api_batch";
    public const string ApiCsv = "api_csv";
    public const string ScorePage = "score_page";
    public const string PageCsv = "page_csv";
    public const string Simulator = "simulator";

    public static IReadOnlyList<string> All { get; } = [Api, ApiBatch, ApiCsv, ScorePage, PageCsv, Simulator];
}

/// <summary>What the ledger's writer needs to score one application with the shadow version.</summary>
public sealed record PendingShadow(ShadowModel Shadow, LoanApplication Application);
