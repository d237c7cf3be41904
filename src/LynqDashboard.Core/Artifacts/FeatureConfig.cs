using LynqDashboard.Core.Data;
using LynqDashboard.Core.Serialization;
using LynqDashboard.Core.Training;

namespace LynqDashboard.Core.Artifacts;

/// <summary>
/// feature_config.json: the original uploader's fields (features, version, created_at, description, metrics,
/// model_type, default_rate, num_samples) plus what a reviewer needs to trust the version.
/// </summary>
public sealed record FeatureConfig
{
    public required IReadOnlyList<string> Features { get; init; }
    public required string Version { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string Description { get; init; }
    public required MetricsSummary Metrics { get; init; }
    public required string ModelType { get; init; }
    public required double DefaultRate { get; init; }
    public required long NumSamples { get; init; }
    public required TrainingParameters TrainingParameters { get; init; }
    public required DatasetLineage Dataset { get; init; }

    /// <summary>Training means per feature: the reference an applicant's top factors are measured against.</summary>
    public required IReadOnlyDictionary<string, double> FeatureBaseline { get; init; }

    public required double Threshold { get; init; }
    public string Calibration { get; init; } = "platt-on-validation";
    public required double PositiveWeight { get; init; }
    public required int TrainRows { get; init; }
    public required int ValidationRows { get; init; }
    public required int TestRows { get; init; }
    public required string MlNetVersion { get; init; }
    public required IReadOnlyDictionary<string, double> StageSeconds { get; init; }

    public static FeatureConfig Load(string path) => LynqJson.ReadFile<FeatureConfig>(path, "feature configuration");
}

/// <summary>Where the training data came from.</summary>
/// <param name="FileName">The CSV's file name (no path).</param>
/// <param name="Sha256">SHA-256 of the CSV bytes.</param>
/// <param name="Rows">Rows loaded.</param>
/// <param name="Generator">Generator parameters when the data was generated; null for user files.</param>
public sealed record DatasetLineage(string FileName, string Sha256, long Rows, GeneratorParameters? Generator);

/// <summary>The headline numbers of metrics.json, repeated in feature_config.json for readers of the original format.</summary>
public sealed record MetricsSummary(
    double RocAuc,
    double PrAuc,
    double Gini,
    double Ks,
    double Brier,
    double LogLoss,
    double CalibrationError,
    double Accuracy,
    double Precision,
    double Recall,
    double F1,
    double? OracleAuc,
    IReadOnlyList<string> LeakageSuspects);
