using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Training;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;

namespace LynqDashboard.Core.Scoring;

/// <summary>
/// A loaded model ready for concurrent scoring. The chain is compiled to flat arrays when it can be (and
/// proved equal to ML.NET on probe rows); otherwise predictions go through pooled PredictionEngines, since one
/// engine is not thread-safe, each with its own input and output rows so a prediction allocates nothing.
/// </summary>
public sealed class ScoringModel
{
    private readonly ObjectPool<Predictor> _pool;
    private readonly CompiledTreeModel? _compiled;
    private readonly float[] _baseline;

    public ScoringModel(LoadedModel loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        Loaded = loaded;
        _baseline = [.. LoanFeatures.All.Select(f => loaded.Config.FeatureBaseline.TryGetValue(f.Name, out var v) ? (float)v : 0f)];
        Baseline = Array.AsReadOnly(_baseline);
        var provider = new DefaultObjectPoolProvider { MaximumRetained = Environment.ProcessorCount * 4 };
        _pool = provider.Create(new PredictorPolicy(loaded.Context, loaded.Model));
        _compiled = CompiledTreeModel.TryCompile(loaded.Context, loaded.Model, ModelPredictions.ProbeRows([.. Baseline.Select(b => (double)b)]));
        var file = Path.Combine(loaded.Directory, ModelArtifacts.ModelFile);
        if (File.Exists(file))
        {
            using var stream = File.OpenRead(file);
            Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
        }
    }

    /// <summary>SHA-256 of the version's model.zip as loaded (what the decision ledger records); empty when the file is not on disk.</summary>
    public string Sha256 { get; } = string.Empty;

    /// <summary>True when predictions run on the compiled arrays rather than ML.NET engines.</summary>
    public bool IsCompiled => _compiled is not null;

    public LoadedModel Loaded { get; }

    public string Version => Loaded.Config.Version;

    /// <summary>Training means per feature, in model order.</summary>
    public IReadOnlyList<float> Baseline { get; }

    public static ScoringModel Load(string directory) => new(ModelArtifacts.Load(directory));

    /// <summary>Calibrated PD for one feature vector (12 values, model order).</summary>
    public float PredictPd(ReadOnlySpan<float> features) => _compiled?.Predict(features) ?? PredictWithEngine(features);

    /// <summary>
    /// For each feature (model order), the PD with that one feature set to its training mean: what the top factors
    /// compare. Returns the PD of <paramref name="features"/> as <see cref="PredictPd"/> does, from the same pass.
    /// </summary>
    public float PredictEachAtBaseline(ReadOnlySpan<float> features, Span<float> pds)
    {
        if (_compiled is not null)
        {
            return _compiled.PredictEachReplaced(features, _baseline, pds);
        }

        Span<float> probe = stackalloc float[LoanFeatures.Count];
        for (var f = 0; f < LoanFeatures.Count; f++)
        {
            features.CopyTo(probe);
            probe[f] = _baseline[f];
            pds[f] = PredictWithEngine(probe);
        }

        return PredictWithEngine(features);
    }

    /// <summary>The same prediction through a pooled ML.NET engine (the reference the compiled path must match).</summary>
    public float PredictWithEngine(ReadOnlySpan<float> features)
    {
        var predictor = _pool.Get();
        try
        {
            features.CopyTo(predictor.Input.Features);
            predictor.Engine.Predict(predictor.Input, ref predictor.Output);
            return predictor.Output.Probability;
        }
        finally
        {
            _pool.Return(predictor);
        }
    }

    private sealed class Predictor(PredictionEngine<ModelInput, ModelOutput> engine)
    {
        public PredictionEngine<ModelInput, ModelOutput> Engine { get; } = engine;

        public ModelInput Input { get; } = new();

#pragma warning disable CA1051 // passed by ref to PredictionEngine.Predict
        public ModelOutput Output = new();
#pragma warning restore CA1051
    }

    private sealed class PredictorPolicy(MLContext context, ITransformer model) : PooledObjectPolicy<Predictor>
    {
        public override Predictor Create() =>
            new(context.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model, ignoreMissingColumns: true));

        public override bool Return(Predictor obj) => true;
    }
}
