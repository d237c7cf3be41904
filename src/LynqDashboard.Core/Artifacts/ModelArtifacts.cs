using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LynqDashboard.Core.Evaluation;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Serialization;
using LynqDashboard.Core.Training;
using Microsoft.ML;

namespace LynqDashboard.Core.Artifacts;

/// <summary>One folder per trained version. Written to a temporary sibling and renamed into place, so a crash never leaves half a version.</summary>
public static class ModelArtifacts
{
    public const string ModelFile = "model.zip";
    public const string FeatureConfigFile = "feature_config.json";
    public const string MetricsFile = "metrics.json";
    public const string TestPredictionsFile = "test_predictions.csv";
    public const string TrainingLogFile = "training_log.txt";

    /// <summary>How the PD moves over each directed feature's training range (individual conditional expectation), written when the version is trained.</summary>
    public const string MonotonicityFile = "monotonicity.json";

    /// <summary>Test predictions kept for the threshold slider; a larger test split is sampled down to this.</summary>
    public const int MaxStoredPredictions = 200_000;

    /// <summary>
    /// The ML.NET package that trains and reads models, as its release is named ("5.0.1"): the assembly version says
    /// 1.0.0.0 in every release, so the informational version is read, without its commit hash.
    /// </summary>
    public static string MlNetVersion { get; } =
        typeof(MLContext).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0]
        ?? typeof(MLContext).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Writes the version folder and returns each file with its SHA-256.</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="version">Version label, e.g. "3" (the S3 prefix becomes credit_model_v3).</param>
    /// <param name="description">Free text for people.</param>
    /// <param name="dataset">Where the training data came from.</param>
    /// <param name="directory">The version folder to create; it must not exist unless <paramref name="overwrite"/>.</param>
    /// <param name="overwrite">Replace an existing folder (the old one is removed only after the new one is in place).</param>
    /// <param name="clock">Time source for created_at (default system clock).</param>
    /// <param name="moveIn">Files moved into the folder with it (e.g. a dataset generated for this version).</param>
    /// <param name="beforeCommit">Test hook: runs after all files are written, before the rename.</param>
    /// <param name="jsonFiles">More files written with <see cref="LynqJson.Options"/> inside the same atomic write (file name → value), e.g. <see cref="MonotonicityFile"/>.</param>
    public static ArtifactSet Write(
        TrainedModel model,
        string version,
        string description,
        DatasetLineage dataset,
        string directory,
        bool overwrite = false,
        TimeProvider? clock = null,
        IReadOnlyList<string>? moveIn = null,
        Action<string>? beforeCommit = null,
        IReadOnlyDictionary<string, object>? jsonFiles = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var target = Path.GetFullPath(directory);
        if (Directory.Exists(target) && !overwrite)
        {
            throw new IOException($"The output folder {target} already exists; choose another or replace it explicitly.");
        }

        var parent = Path.GetDirectoryName(target) ?? throw new ArgumentException("The output folder needs a parent folder.", nameof(directory));
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(staging);
        try
        {
            model.Context.Model.Save(model.Model, model.InputSchema, Path.Combine(staging, ModelFile));
            LynqJson.WriteFile(Path.Combine(staging, FeatureConfigFile), CreateConfig(model, version, description, dataset, clock ?? TimeProvider.System));
            model.Metrics.Save(Path.Combine(staging, MetricsFile));
            WriteTestPredictions(Path.Combine(staging, TestPredictionsFile), model.TestProbabilities, model.TestLabels, model.TestFeatures);
            File.WriteAllLines(Path.Combine(staging, TrainingLogFile), model.Log);
            foreach (var (name, value) in jsonFiles ?? new Dictionary<string, object>())
            {
                LynqJson.WriteFile(Path.Combine(staging, Path.GetFileName(name)), value);
            }

            foreach (var file in moveIn ?? [])
            {
                File.Move(file, Path.Combine(staging, Path.GetFileName(file)));
            }

            beforeCommit?.Invoke(staging);
            Commit(staging, target);
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            throw;
        }

        return ArtifactSet.Describe(target);
    }

    /// <summary>Loads a version folder; the feature list must match the 12 features in order.</summary>
    public static LoadedModel Load(string directory)
    {
        var folder = Path.GetFullPath(directory);
        var modelPath = Path.Combine(folder, ModelFile);
        var configPath = Path.Combine(folder, FeatureConfigFile);
        if (!File.Exists(modelPath) || !File.Exists(configPath))
        {
            throw new FileNotFoundException($"{folder} is not a model version folder: it needs {ModelFile} and {FeatureConfigFile}.");
        }

        var config = FeatureConfig.Load(configPath);
        if (!config.Features.SequenceEqual(LoanFeatures.Names))
        {
            throw new InvalidDataException(
                $"{configPath} lists features [{string.Join(", ", config.Features)}]; this build scores [{string.Join(", ", LoanFeatures.Names)}].");
        }

        var ml = new MLContext(seed: 0);
        var transformer = ml.Model.Load(modelPath, out _);
        var metricsPath = Path.Combine(folder, MetricsFile);
        var metrics = File.Exists(metricsPath) ? ValidationPack.Load(metricsPath) : null;
        return new LoadedModel(ml, transformer, config, metrics, folder);
    }

    /// <summary>
    /// Reads test_predictions.csv back: the probability and label of each stored test row and, for versions trained since
    /// the file carries them, the row's features (a policy's approval and bad rates are replayed on them).
    /// </summary>
    public static TestPredictions ReadTestPredictions(string directory)
    {
        var path = Path.Combine(directory, TestPredictionsFile);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);
        var header = (reader.ReadLine() ?? string.Empty).Split(',');
        var withFeatures = header.Length == 2 + LoanFeatures.Count && header.AsSpan(2).SequenceEqual(LoanFeatures.Names.ToArray());
        var probabilities = new List<float>();
        var labels = new List<bool>();
        var features = withFeatures ? new List<float>() : null;
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var cells = line.Split(',');
            if (cells.Length != header.Length
                || !float.TryParse(cells[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var probability)
                || cells[1] is not ("0" or "1"))
            {
                throw new InvalidDataException($"{path} line {lineNumber}: expected {header.Length} cells (probability, default_event 0 or 1{(withFeatures ? ", the features" : string.Empty)}).");
            }

            probabilities.Add(probability);
            labels.Add(cells[1] == "1");
            for (var f = 0; features is not null && f < LoanFeatures.Count; f++)
            {
                features.Add(float.Parse(cells[2 + f], NumberStyles.Float, CultureInfo.InvariantCulture));
            }
        }

        return new TestPredictions([.. probabilities], [.. labels], features?.ToArray());
    }

    private static FeatureConfig CreateConfig(TrainedModel model, string version, string description, DatasetLineage dataset, TimeProvider clock)
    {
        var m = model.Metrics;
        return new FeatureConfig
        {
            Features = LoanFeatures.Names,
            Version = version,
            CreatedAt = clock.GetUtcNow(),
            Description = description,
            Metrics = new MetricsSummary(m.RocAuc, m.PrAuc, m.Gini, m.Ks, m.Brier, m.LogLoss, m.CalibrationError, m.Accuracy, m.Precision, m.Recall, m.F1, m.OracleAuc, m.LeakageSuspects),
            ModelType = TrainerFactory.ModelType(model.Parameters.Trainer),
            DefaultRate = m.ObservedDefaultRate,
            NumSamples = model.TrainRows + model.ValidationRows + model.TestRows,
            TrainingParameters = model.Parameters,
            Dataset = dataset,
            FeatureBaseline = LoanFeatures.All.ToDictionary(f => f.Name, f => model.FeatureBaseline[f.Index]),
            Threshold = model.Parameters.Threshold,
            PositiveWeight = model.PositiveWeight,
            TrainRows = model.TrainRows,
            ValidationRows = model.ValidationRows,
            TestRows = model.TestRows,
            MlNetVersion = MlNetVersion,
            StageSeconds = model.StageSeconds,
        };
    }

    private static void WriteTestPredictions(string path, float[] probabilities, bool[] labels, float[] features)
    {
        var step = Math.Max(1, (int)Math.Ceiling((double)probabilities.Length / MaxStoredPredictions));
        var withFeatures = features.Length == probabilities.Length * LoanFeatures.Count;
        using var writer = new StreamWriter(path, append: false, Encoding.UTF8, 1 << 16);
        writer.Write("probability,default_event");
        if (withFeatures)
        {
            writer.Write(',');
            writer.Write(string.Join(',', LoanFeatures.Names));
        }

        writer.Write('\n');
        for (var i = 0; i < probabilities.Length; i += step)
        {
            writer.Write(probabilities[i].ToString("R", CultureInfo.InvariantCulture));
            writer.Write(labels[i] ? ",1" : ",0");
            for (var f = 0; withFeatures && f < LoanFeatures.Count; f++)
            {
                writer.Write(',');
                writer.Write(features[(i * LoanFeatures.Count) + f].ToString("R", CultureInfo.InvariantCulture));
            }

            writer.Write('\n');
        }
    }

    private static void Commit(string staging, string target)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
            return;
        }

        var old = $"{target}.{Guid.NewGuid():N}.old";
        Directory.Move(target, old);
        Directory.Move(staging, target);
        Directory.Delete(old, recursive: true);
    }
}

/// <summary>The stored test rows of a version: calibrated PD, outcome and (when stored) the features, <see cref="LoanFeatures.Count"/> per row.</summary>
public sealed record TestPredictions(float[] Probabilities, bool[] Labels, float[]? Features)
{
    public int Count => Probabilities.Length;

    /// <summary>Row <paramref name="index"/>'s features in model order (only when <see cref="Features"/> is stored).</summary>
    public ReadOnlySpan<float> Row(int index) => Features is null ? [] : Features.AsSpan(index * LoanFeatures.Count, LoanFeatures.Count);
}

/// <summary>A loaded version: its own MLContext, the fitted chain, its configuration and metrics.</summary>
public sealed record LoadedModel(MLContext Context, ITransformer Model, FeatureConfig Config, ValidationPack? Metrics, string Directory);

/// <summary>The files of a version folder with their SHA-256 and size.</summary>
public sealed record ArtifactSet(string Directory, IReadOnlyList<ArtifactFile> Files)
{
    public static ArtifactSet Describe(string directory)
    {
        var files = System.IO.Directory.GetFiles(directory)
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(path =>
            {
                using var stream = File.OpenRead(path);
                return new ArtifactFile(Path.GetFileName(path), Convert.ToHexStringLower(SHA256.HashData(stream)), stream.Length);
            })
            .ToList();
        return new ArtifactSet(directory, files);
    }
}

public sealed record ArtifactFile(string Name, string Sha256, long SizeBytes);
