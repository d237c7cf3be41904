using System.Collections.Immutable;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Features;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Transforms;

namespace LynqDashboard.Core.Training;

/// <summary>
/// The fitted chain (affine normaliser → tree ensemble → Platt calibrator) flattened into arrays, so one
/// prediction is a few hundred array reads instead of an ML.NET cursor (about 10× faster; evaluation,
/// permutation importance and per-applicant factors call it thousands of times). Built only when every
/// part is recognised, and only used after it reproduced ML.NET's own probabilities on probe rows;
/// otherwise callers keep using ML.NET.
/// </summary>
internal sealed class CompiledTreeModel
{
    /// <summary>Largest difference from ML.NET's own probability a compiled chain may show on its probe rows.</summary>
    public const float Tolerance = 1e-6f;

    private readonly float[] _scale;
    private readonly float[] _offset;
    private readonly int[] _treeRoot;
    private readonly Node[] _nodes;
    private readonly int[] _leafBase;
    private readonly double[] _leafValue;
    private readonly double _bias;
    private readonly PlattCalibrator _platt;
    private readonly int[][] _treesOf;

    private CompiledTreeModel(float[] scale, float[] offset, RegressionTreeEnsemble ensemble, PlattCalibrator platt)
    {
        _scale = scale;
        _offset = offset;
        _bias = ensemble.Bias;
        _platt = platt;
        var trees = ensemble.Trees;
        _treeRoot = new int[trees.Count];
        _leafBase = new int[trees.Count];
        var nodes = trees.Sum(t => Math.Max(0, t.NumberOfNodes));
        _nodes = new Node[nodes];
        _leafValue = new double[trees.Sum(t => t.NumberOfLeaves)];
        int node = 0, leaf = 0;
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            _treeRoot[t] = tree.NumberOfNodes == 0 ? -1 : node;
            _leafBase[t] = leaf;
            for (var n = 0; n < tree.NumberOfNodes; n++)
            {
                // Children >= 0 are nodes of this tree; negative ones are ~leafIndex, kept as they are.
                _nodes[node + n] = new Node(
                    tree.NumericalSplitFeatureIndexes[n],
                    tree.NumericalSplitThresholds[n],
                    tree.LeftChild[n] >= 0 ? tree.LeftChild[n] + node : tree.LeftChild[n],
                    tree.RightChild[n] >= 0 ? tree.RightChild[n] + node : tree.RightChild[n]);
            }

            for (var l = 0; l < tree.NumberOfLeaves; l++)
            {
                _leafValue[leaf + l] = tree.LeafValues[l] * ensemble.TreeWeights[t];
            }

            node += tree.NumberOfNodes;
            leaf += tree.NumberOfLeaves;
        }

        // The trees that split on each feature: a change of that one feature moves only their outputs.
        _treesOf = new int[LoanFeatures.Count][];
        for (var f = 0; f < LoanFeatures.Count; f++)
        {
            var feature = f;
            _treesOf[f] = [.. Enumerable.Range(0, trees.Count).Where(t => trees[t].NumericalSplitFeatureIndexes.Take(Math.Max(0, trees[t].NumberOfNodes)).Contains(feature))];
        }
    }

    public int TreeCount => _treeRoot.Length;

    /// <summary>Compiles <paramref name="model"/> if it is a chain this class understands and it reproduces ML.NET on <paramref name="probes"/>.</summary>
    public static CompiledTreeModel? TryCompile(MLContext ml, ITransformer model, LoanDataset probes)
    {
        float[]? scale = null, offset = null;
        RegressionTreeEnsemble? ensemble = null;
        PlattCalibrator? platt = null;
        foreach (var transformer in Flatten(model))
        {
            switch (transformer)
            {
                case NormalizingTransformer normalizer when scale is null && ensemble is null:
                    if (normalizer.GetNormalizerModelParameters(0) is not NormalizingTransformer.AffineNormalizerModelParameters<ImmutableArray<float>> affine
                        || affine.Scale.Length != LoanFeatures.Count)
                    {
                        return null;
                    }

                    scale = [.. affine.Scale];
                    offset = affine.Offset.IsDefaultOrEmpty ? new float[LoanFeatures.Count] : [.. affine.Offset];
                    break;
                case IPredictionTransformer<PlattCalibrator> calibrator:
                    platt = calibrator.Model;
                    break;
                case IPredictionTransformer<object> predictor when ensemble is null:
                    ensemble = EnsembleOf(predictor.Model);
                    if (ensemble is null)
                    {
                        return null;
                    }

                    break;
                default:
                    return null;
            }
        }

        if (scale is null || ensemble is null || platt is null || ensemble.Trees.Any(t => t.CategoricalSplitFlags.Any(flag => flag)))
        {
            return null;
        }

        var compiled = new CompiledTreeModel(scale, offset!, ensemble, platt);
        return compiled.Reproduces(ml, model, probes) ? compiled : null;
    }

    /// <summary>Calibrated PD for one row of 12 features in model order.</summary>
    public float Predict(ReadOnlySpan<float> features)
    {
        Span<float> x = stackalloc float[LoanFeatures.Count];
        Normalise(features, x);
        var score = _bias;
        for (var t = 0; t < _treeRoot.Length; t++)
        {
            score += Tree(t, x);
        }

        return _platt.PredictProbability((float)score);
    }

    /// <summary>Calibrated PDs for every row, in order.</summary>
    public float[] Predict(LoanDataset data)
    {
        var result = new float[data.Count];
        Parallel.For(0, (data.Count + 4095) / 4096, block =>
        {
            var end = Math.Min(data.Count, (block + 1) * 4096);
            for (var i = block * 4096; i < end; i++)
            {
                result[i] = Predict(data.Row(i));
            }
        });
        return result;
    }

    /// <summary>Each row's raw score and each tree's output for it (row-major, <see cref="TreeCount"/> per row): what a one-column change leaves as it was.</summary>
    public TreeOutputs Outputs(LoanDataset data)
    {
        var trees = _treeRoot.Length;
        var outputs = new double[data.Count * trees];
        var scores = new double[data.Count];
        Parallel.For(0, (data.Count + 4095) / 4096, block =>
        {
            Span<float> x = stackalloc float[LoanFeatures.Count];
            var end = Math.Min(data.Count, (block + 1) * 4096);
            for (var i = block * 4096; i < end; i++)
            {
                Normalise(data.Row(i), x);
                var score = _bias;
                for (var t = 0; t < trees; t++)
                {
                    score += outputs[(i * trees) + t] = Tree(t, x);
                }

                scores[i] = score;
            }
        });
        return new TreeOutputs(outputs, scores);
    }

    /// <summary>
    /// Calibrated PDs of <paramref name="data"/> with feature <paramref name="feature"/> replaced by
    /// <paramref name="column"/>: only the trees that split on that feature are walked again; the others keep their
    /// output from <paramref name="outputs"/> (of <see cref="Outputs"/>). Equal to a full prediction of the changed rows
    /// up to the order of the additions (within <see cref="Tolerance"/>, as the whole chain is to ML.NET).
    /// </summary>
    public float[] PredictWithColumn(LoanDataset data, TreeOutputs outputs, int feature, float[] column)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var trees = _treeRoot.Length;
        var mine = _treesOf[feature];
        var result = new float[data.Count];
        Span<float> x = stackalloc float[LoanFeatures.Count];
        for (var i = 0; i < data.Count; i++)
        {
            Normalise(data.Row(i), x);
            x[feature] = (column[i] - _offset[feature]) * _scale[feature];
            var score = outputs.Scores[i];
            var kept = outputs.PerTree.AsSpan(i * trees, trees);
            foreach (var t in mine)
            {
                score += Tree(t, x) - kept[t];
            }

            result[i] = _platt.PredictProbability((float)score);
        }

        return result;
    }

    /// <summary>
    /// For each feature f, the calibrated PD of <paramref name="features"/> with f set to <paramref name="replacement"/>[f]
    /// (what an applicant's top factors compare), in one pass over the trees. A tree's output changes with f only if
    /// some split on f along the applicant's own path sends the replaced value the other way; at the first such split
    /// the walk continues down the other branch with f replaced, from that split rather than the root. Every other tree
    /// keeps its output, so this costs one prediction plus the few branches that flip, against twelve predictions
    /// (within <see cref="Tolerance"/> of them: only the order of the additions differs). Returns the PD of
    /// <paramref name="features"/> themselves, which the same pass computes (equal to <see cref="Predict(ReadOnlySpan{float})"/>).
    /// </summary>
    public float PredictEachReplaced(ReadOnlySpan<float> features, ReadOnlySpan<float> replacement, Span<float> pds)
    {
        Span<float> x = stackalloc float[LoanFeatures.Count];
        Span<float> replaced = stackalloc float[LoanFeatures.Count];
        Span<double> delta = stackalloc double[LoanFeatures.Count];
        Normalise(features, x);
        Normalise(replacement, replaced);
        delta.Clear();
        var nodes = _nodes;
        var score = _bias;
        for (var t = 0; t < _treeRoot.Length; t++)
        {
            var node = _treeRoot[t];
            if (node < 0)
            {
                continue;
            }

            var flipped = 0;
            while (node >= 0)
            {
                ref readonly var split = ref nodes[node];
                var feature = split.Feature;
                var left = x[feature] <= split.Threshold;
                var bit = 1 << feature;
                if ((flipped & bit) == 0 && (replaced[feature] <= split.Threshold) != left)
                {
                    flipped |= bit;
                    delta[feature] += WalkReplaced(t, left ? split.Right : split.Left, x, feature, replaced[feature]);
                }

                node = left ? split.Left : split.Right;
            }

            var output = _leafValue[_leafBase[t] + ~node];
            score += output;
            for (; flipped != 0; flipped &= flipped - 1)
            {
                delta[System.Numerics.BitOperations.TrailingZeroCount(flipped)] -= output;
            }
        }

        for (var f = 0; f < LoanFeatures.Count; f++)
        {
            pds[f] = _platt.PredictProbability((float)(score + delta[f]));
        }

        return _platt.PredictProbability((float)score);
    }

    // Tree t's output from node down, with feature `feature` read as `value` (already normalised).
    private double WalkReplaced(int t, int node, ReadOnlySpan<float> x, int feature, float value)
    {
        while (node >= 0)
        {
            ref readonly var split = ref _nodes[node];
            node = (split.Feature == feature ? value : x[split.Feature]) <= split.Threshold ? split.Left : split.Right;
        }

        return _leafValue[_leafBase[t] + ~node];
    }

    private void Normalise(ReadOnlySpan<float> features, Span<float> x)
    {
        for (var f = 0; f < x.Length; f++)
        {
            x[f] = (features[f] - _offset[f]) * _scale[f];
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private double Tree(int t, ReadOnlySpan<float> x)
    {
        var node = _treeRoot[t];
        if (node < 0)
        {
            return 0;
        }

        while (node >= 0)
        {
            ref readonly var split = ref _nodes[node];
            node = x[split.Feature] <= split.Threshold ? split.Left : split.Right;
        }

        return _leafValue[_leafBase[t] + ~node];
    }

    private bool Reproduces(MLContext ml, ITransformer model, LoanDataset probes)
    {
        var expected = ModelPredictions.ProbabilitiesWithMlNet(ml, model, probes);
        for (var i = 0; i < probes.Count; i++)
        {
            if (Math.Abs(expected[i] - Predict(probes.Row(i))) > Tolerance)
            {
                return false;
            }
        }

        return true;
    }

    private static RegressionTreeEnsemble? EnsembleOf(object model) => model switch
    {
        TreeEnsembleModelParametersBasedOnRegressionTree trees => trees.TrainedTreeEnsemble,
        CalibratedModelParametersBase { SubModel: TreeEnsembleModelParametersBasedOnRegressionTree sub } => sub.TrainedTreeEnsemble,
        _ => null,
    };

    /// <summary>One split, packed so a visit touches one cache line.</summary>
    private readonly record struct Node(int Feature, float Threshold, int Left, int Right);

    private static IEnumerable<ITransformer> Flatten(ITransformer transformer)
    {
        if (transformer is IEnumerable<ITransformer> chain)
        {
            foreach (var inner in chain.SelectMany(Flatten))
            {
                yield return inner;
            }
        }
        else
        {
            yield return transformer;
        }
    }
}

/// <summary>Each row's raw score and its trees' outputs, from <see cref="CompiledTreeModel.Outputs"/>.</summary>
internal sealed record TreeOutputs(double[] PerTree, double[] Scores);
