using LynqDashboard.Core.Training;

namespace LynqDashboard.Core.Registry;

/// <summary>
/// One model version (v1, v2, …): created when its training is queued, so the run and the version are one
/// record. Metrics summary columns are filled when it becomes Ready, so the registry grid can sort on them.
/// </summary>
public sealed class ModelVersionRecord : JobRecord
{
    /// <summary>1, 2, 3 … assigned by the registry; shown as v1, v2 …</summary>
    public int Number { get; set; }

    public VersionStatus Status { get; set; } = VersionStatus.Queued;

    public Guid DatasetId { get; set; }

    public string? DatasetSha256 { get; set; }

    public required TrainingParameters Parameters { get; set; }

    public string? MlNetVersion { get; set; }

    /// <summary>Who started the training (user name, "cli:user@host"); null for versions trained before it was kept.</summary>
    public string? TrainedBy { get; set; }

    // Metrics summary (test split), null until Ready.
    public double? RocAuc { get; set; }

    public double? PrAuc { get; set; }

    public double? Gini { get; set; }

    public double? Ks { get; set; }

    public double? Brier { get; set; }

    public double? CalibrationError { get; set; }

    public double? F1 { get; set; }

    public double? Precision { get; set; }

    public double? Recall { get; set; }

    public double? Accuracy { get; set; }

    public double? OracleAuc { get; set; }

    /// <summary>The LYNQ example applicant's PD from the fitted model at training time: promotion checks model.zip reproduces it.</summary>
    public double? GoldenPd { get; set; }

    /// <summary>Features flagged by the leakage check, comma-separated; empty when none.</summary>
    public string LeakageSuspects { get; set; } = string.Empty;

    /// <summary>Version folder relative to the data directory.</summary>
    public string? ArtifactDirectory { get; set; }

    public List<ArtifactEntry> Artifacts { get; set; } = [];

    public string Notes { get; set; } = string.Empty;

    /// <summary>Comma-separated tags.</summary>
    public string Tags { get; set; } = string.Empty;

    public string Label => $"v{Number}";
}

/// <summary>One file of a version folder.</summary>
public sealed record ArtifactEntry(string Name, string Sha256, long SizeBytes);
