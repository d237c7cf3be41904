using BenchmarkDotNet.Attributes;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Training;

namespace LynqDashboard.Benchmarks;

/// <summary>Single-application scoring with the default 200-tree model: issue 18's target is ≤ 5 µs with top factors, PD alone about 1–2 µs.</summary>
[MemoryDiagnoser]
public class ScoringBenchmarks
{
    private readonly float[] _features = new float[LoanFeatures.Count];
    private readonly float[] _each = new float[LoanFeatures.Count];
    private readonly CreditScorer _scorer = new();
    private ScoringModel _model = null!;
    private string _folder = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "lynq-bench", Guid.NewGuid().ToString("N"));
        var data = LoanDataset.From(new DatasetGenerator(new DatasetParameters(50_000, 42)).Rows().ToList());
        var trained = new ModelTrainer().Train(data, new TrainingParameters());
        ModelArtifacts.Write(trained, "1", "bench", new DatasetLineage("d.csv", "-", data.Count, null), Path.Combine(_folder, "v1"));
        _model = ScoringModel.Load(Path.Combine(_folder, "v1"));
        LoanApplication.Example.CopyFeaturesTo(_features);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Description = "PD only (compiled chain)")]
    public float PredictPd() => _model.PredictPd(_features);

    [Benchmark(Description = "PD only (pooled ML.NET engine)")]
    public float PredictPdWithEngine() => _model.PredictWithEngine(_features);

    [Benchmark(Description = "PD with each feature at its mean (what factors compare)")]
    public float PredictEachAtBaseline()
    {
        _model.PredictEachAtBaseline(_features, _each);
        return _each[0];
    }

    [Benchmark(Description = "LYNQ response, no factors")]
    public CreditScoreResult ScoreWithoutFactors() => _scorer.Score(LoanApplication.Example, _model, explain: false);

    [Benchmark(Description = "LYNQ response with top factors")]
    public CreditScoreResult ScoreWithFactors() => _scorer.Score(LoanApplication.Example, _model, explain: true);
}
