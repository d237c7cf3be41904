using System.Text.Json.Serialization;

namespace LynqDashboard.Core.Training;

/// <summary>The gradient-boosted tree learners offered.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrainerKind>))]
public enum TrainerKind
{
    /// <summary>ML.NET FastTree (MART); the LYNQ default. Reports progress per tree.</summary>
    FastTree,

    /// <summary>LightGBM through ML.NET; single-threaded and seeded for repeatable runs. Reports stages only.</summary>
    LightGbm,
}
