using LynqDashboard.Core.Training;
using System.Security.Cryptography;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Core.Workflows;

/// <summary>What to train and where to put it.</summary>
/// <param name="DatasetCsv">The training data.</param>
/// <param name="OutputDirectory">The version folder to create.</param>
/// <param name="Version">Version label recorded in feature_config.json.</param>
/// <param name="Description">Free text for people.</param>
/// <param name="Parameters">Training parameters.</param>
/// <param name="Overwrite">Replace an existing version folder.</param>
/// <param name="IncludeDataset">Move the CSV (and its manifest) into the version folder: for data generated just for this version.</param>
/// <param name="Loaded">The CSV's rows already in memory exactly as the file reads, with the file's SHA-256 (the generator
/// that wrote it kept them), so the file is not read back; null reads <paramref name="DatasetCsv"/>.</param>
public sealed record TrainingRequest(
    string DatasetCsv,
    string OutputDirectory,
    string Version,
    string Description,
    TrainingParameters Parameters,
    bool Overwrite = false,
    bool IncludeDataset = false,
    LoadedDataset? Loaded = null);

/// <summary>A dataset file's rows in memory, as the file reads, and the file's SHA-256.</summary>
public sealed record LoadedDataset(LoanDataset Rows, string Sha256);

/// <summary>A finished run: the model in memory and the files on disk.</summary>
public sealed record TrainingOutcome(TrainedModel Model, ArtifactSet Artifacts, DatasetLineage Dataset);

/// <summary>Load → train → save, the whole run the CLI and the background jobs share.</summary>
public static class TrainingPipeline
{
    public static async Task<TrainingOutcome> RunAsync(
        TrainingRequest request,
        IProgress<TrainingProgress>? progress = null,
        TimeProvider? clock = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Parameters.EnsureValid();
        if (Directory.Exists(request.OutputDirectory) && !request.Overwrite)
        {
            throw new IOException($"The output folder {Path.GetFullPath(request.OutputDirectory)} already exists; choose another or replace it explicitly.");
        }

        progress?.Report(TrainingProgress.At(TrainingStage.Loading));
        var (data, sha) = request.Loaded is { } loaded ? (loaded.Rows, loaded.Sha256) : ReadHashed(request.DatasetCsv, cancellationToken);
        var lineage = await DescribeAsync(request.DatasetCsv, data, sha, cancellationToken).ConfigureAwait(false);

        var model = new ModelTrainer().Train(data, request.Parameters, progress, cancellationToken);
        progress?.Report(TrainingProgress.At(TrainingStage.Saving));
        cancellationToken.ThrowIfCancellationRequested();

        var manifest = DatasetManifest.PathFor(request.DatasetCsv);
        IReadOnlyList<string> moveIn = request.IncludeDataset
            ? File.Exists(manifest) ? [request.DatasetCsv, manifest] : [request.DatasetCsv]
            : [];
        var monotonicity = MeasureMonotonicity(data, model);
        cancellationToken.ThrowIfCancellationRequested();
        var artifacts = ModelArtifacts.Write(model, request.Version, request.Description, lineage, request.OutputDirectory, request.Overwrite, clock, moveIn,
            jsonFiles: new Dictionary<string, object> { [ModelArtifacts.MonotonicityFile] = monotonicity });
        progress?.Report(TrainingProgress.At(TrainingStage.Completed, 1));
        return new TrainingOutcome(model, artifacts, lineage);
    }

    /// <summary>Most training rows the sweep ranges are read from: percentiles of an even sample this size are as good, and a 10M-row set sorts no 7M-value columns.</summary>
    public const int MaxRangeRows = 100_000;

    /// <summary>
    /// The monotonicity check of a freshly trained model: each directed feature swept over the training split's 1st–99th
    /// percentiles for an even sample of test applicants. The split is recomputed from the seed (the trainer's own, so the
    /// ranges come from exactly the rows it trained on).
    /// </summary>
    public static IReadOnlyList<FeatureMonotonicity> MeasureMonotonicity(LoanDataset data, TrainedModel model)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(model);
        var trainRows = StratifiedSplit.Create(data, model.Parameters.Seed).Train;
        var step = Math.Max(1, (int)Math.Ceiling((double)trainRows.Length / MaxRangeRows));
        var training = data.Select([.. trainRows.Where((_, i) => i % step == 0)]);
        var test = new LoanDataset(model.TestFeatures, model.TestLabels, null);
        return MonotonicityCheck.Run(model.Compiled is { } compiled ? compiled.Predict : EnginePd(model), training, MonotonicityCheck.SampleOf(test));
    }

    // A model the compiler does not take (another trainer) is swept through one ML.NET engine: the sweep runs on one thread.
    private static PdFunction EnginePd(TrainedModel model)
    {
        var engine = model.Context.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model.Model, ignoreMissingColumns: true);
        var input = new ModelInput();
        var output = new ModelOutput();
        return features =>
        {
            features.CopyTo(input.Features);
            engine.Predict(input, ref output);
            return output.Probability;
        };
    }

    // One pass over the file: the parser's bytes are hashed on their way in (a 10M-row CSV is 650 MB).
    private static (LoanDataset Data, string Sha256) ReadHashed(string csvPath, CancellationToken cancellationToken)
    {
        using var sha = SHA256.Create();
        using var file = new FileStream(csvPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        using var hashing = new CryptoStream(file, sha, CryptoStreamMode.Read);
        using var reader = new StreamReader(hashing, bufferSize: 1 << 20);
        var data = DatasetCsvReader.Read(reader, cancellationToken);

        // A successful parse reads to the end of the file, which is what completes the hash.
        return (data, Convert.ToHexStringLower(sha.Hash ?? throw new InvalidOperationException($"{csvPath} was not read to its end.")));
    }

    private static async Task<DatasetLineage> DescribeAsync(string csvPath, LoanDataset data, string sha, CancellationToken cancellationToken)
    {
        var manifestPath = DatasetManifest.PathFor(csvPath);
        GeneratorParameters? generator = null;
        if (File.Exists(manifestPath))
        {
            var manifest = await DatasetManifest.LoadAsync(manifestPath, cancellationToken).ConfigureAwait(false);
            generator = manifest.Sha256 == sha ? manifest.Generator : null;
        }

        return new DatasetLineage(Path.GetFileName(csvPath), sha, data.Count, generator);
    }
}
