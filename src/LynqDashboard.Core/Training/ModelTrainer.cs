using System.Diagnostics;
using System.Globalization;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Evaluation;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace LynqDashboard.Core.Training;

/// <summary>
/// Trains the LYNQ default model. The steps: split (stratified, seeded 70/15/15), featurize (standardise,
/// weight defaults by negatives/positives), fit the trees, calibrate on the validation split, evaluate on test.
/// </summary>
public sealed class ModelTrainer
{
    /// <summary>Fewest rows of each class that still leaves both classes in every split.</summary>
    public const int MinRowsPerClass = 20;

    public TrainedModel Train(
        LoanDataset data,
        TrainingParameters parameters,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.EnsureValid();
        EnsureTrainable(data);

        var log = new List<string>();
        var seconds = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        TrainingStage? current = null;
        void Step(TrainingStage stage, string message)
        {
            if (current is { } finished)
            {
                seconds[finished.ToString().ToLowerInvariant()] = clock.Elapsed.TotalSeconds;
            }

            current = stage;
            clock.Restart();
            log.Add(string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {stage}: {message}"));
            progress?.Report(TrainingProgress.At(stage, 0, 0, stage == TrainingStage.Training ? parameters.Trees : 0));
            cancellationToken.ThrowIfCancellationRequested();
        }

        // A fresh context per run: a cancelled context cannot be reused, and the seed makes the run repeatable.
        var ml = new MLContext(parameters.Seed);
        using var cancellation = MlContextCancellation.Link(ml, cancellationToken);

        // 1. Split.
        Step(TrainingStage.Splitting, $"{data.Count:N0} rows, {data.DefaultRate:P2} defaults");
        var split = StratifiedSplit.Create(data, parameters.Seed);
        var train = data.Select(split.Train);
        var validation = data.Select(split.Validation);
        var test = data.Select(split.Test);

        // 2. Featurize: example weights balance the classes; the normaliser is fitted inside the pipeline.
        var positiveWeight = (double)(train.Count - train.Defaults) / train.Defaults;
        Step(TrainingStage.Featurizing, $"train {train.Count:N0}, validation {validation.Count:N0}, test {test.Count:N0}; default weight {positiveWeight:F2}");
        var trainView = ModelPredictions.ToDataView(ml, train, positiveWeight);
        var pipeline = ml.Transforms.NormalizeMeanVariance(nameof(ModelInput.Features))
            .Append(TrainerFactory.Create(ml, parameters));

        // 3. Fit, counting trees from FastTree's per-tree trace messages.
        Step(TrainingStage.Training, $"{parameters.Trainer}: {parameters.Trees} trees, {parameters.Leaves} leaves, learning rate {parameters.LearningRate}");
        var treesDone = 0;
        void OnLog(object? sender, LoggingEventArgs e)
        {
            if (e.Kind == ChannelMessageKind.Trace && e.Source.StartsWith("FastTreeTraining", StringComparison.Ordinal) && e.Message.Contains("numTotalTrees left", StringComparison.Ordinal))
            {
                var done = Interlocked.Increment(ref treesDone);
                progress?.Report(TrainingProgress.At(TrainingStage.Training, (double)done / parameters.Trees, done, parameters.Trees));
            }
        }

        ml.Log += OnLog;
        ITransformer fitted;
        try
        {
            fitted = pipeline.Fit(trainView);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("Training was cancelled.", e, cancellationToken);
        }
        finally
        {
            ml.Log -= OnLog;
        }

        // 4. Calibrate on the validation split, unweighted, so Probability is a real PD again.
        Step(TrainingStage.Calibrating, $"{(parameters.Trainer == TrainerKind.FastTree ? treesDone : parameters.Trees)} trees fitted; Platt scaling on {validation.Count:N0} validation rows");
        var calibrator = ml.BinaryClassification.Calibrators
            .Platt(nameof(ModelInput.Label), "Score")
            .Fit(fitted.Transform(ModelPredictions.ToDataView(ml, validation)));
        ITransformer model = new TransformerChain<ITransformer>(fitted, calibrator);

        // 5. Evaluate on the untouched test split.
        Step(TrainingStage.Evaluating, $"{test.Count:N0} test rows");
        var part = Stopwatch.StartNew();
        double Lap()
        {
            var elapsed = part.Elapsed.TotalSeconds;
            part.Restart();
            return elapsed;
        }

        var compiled = CompiledTreeModel.TryCompile(ml, model, test.Select([.. Enumerable.Range(0, Math.Min(test.Count, 256))]));
        var compiling = Lap();
        var probabilities = ModelPredictions.Probabilities(ml, model, test, compiled);
        var predicting = Lap();
        var importance = PermutationImportance.Compute(ml, model, compiled, test, parameters.Seed, cancellationToken);
        var permuting = Lap();
        var metrics = ValidationPack.Compute(probabilities, test.Labels, test.TruePd ?? [], test.Features, parameters.Threshold, importance);
        var measuring = Lap();
        seconds["evaluating"] = clock.Elapsed.TotalSeconds;
        log.Add(string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:HH:mm:ss.fff} Evaluating: ROC-AUC {metrics.RocAuc:F4}, KS {metrics.Ks:F4}, mean PD {metrics.MeanPredictedPd:P2} vs observed {metrics.ObservedDefaultRate:P2}"));
        log.Add(string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:HH:mm:ss.fff} Evaluating took: {(compiled is null ? "no compiled trees (ML.NET predicts)" : $"compiling the trees {compiling:F3} s")}, test PDs {predicting:F3} s, permutation importance {permuting:F3} s, metrics {measuring:F3} s"));

        return new TrainedModel
        {
            Context = ml,
            Model = model,
            Compiled = compiled,
            InputSchema = trainView.Schema,
            Parameters = parameters,
            Metrics = metrics,
            TestProbabilities = probabilities,
            TestLabels = test.Labels,
            TestFeatures = test.Features,
            FeatureBaseline = ModelPredictions.FeatureMeans(train),
            TrainRows = train.Count,
            ValidationRows = validation.Count,
            TestRows = test.Count,
            PositiveWeight = positiveWeight,
            StageSeconds = seconds,
            Log = log,
        };
    }

    private static void EnsureTrainable(LoanDataset data)
    {
        var negatives = data.Count - data.Defaults;
        if (data.Defaults < MinRowsPerClass || negatives < MinRowsPerClass)
        {
            throw LynqException.Invalid("dataset",
                $"The dataset needs at least {MinRowsPerClass} defaults and {MinRowsPerClass} non-defaults to train and evaluate; it has {data.Defaults:N0} and {negatives:N0}.");
        }
    }
}
