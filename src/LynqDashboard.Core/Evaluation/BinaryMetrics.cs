namespace LynqDashboard.Core.Evaluation;

/// <summary>Binary classification metrics with defaults as the positive class. Scores need only rank; probabilities where stated.</summary>
public static class BinaryMetrics
{
    /// <summary>Counts at <paramref name="threshold"/>: a row is a predicted default when its probability is at or above it.</summary>
    public static ConfusionMatrix ConfusionAt(ReadOnlySpan<float> probabilities, ReadOnlySpan<bool> labels, double threshold)
    {
        if (probabilities.Length != labels.Length)
        {
            throw new ArgumentException($"There are {probabilities.Length:N0} probabilities but {labels.Length:N0} labels.");
        }

        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var predicted = probabilities[i] >= threshold;
            if (predicted)
            {
                if (labels[i]) { tp++; } else { fp++; }
            }
            else if (labels[i])
            {
                fn++;
            }
            else
            {
                tn++;
            }
        }

        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    /// <summary>Area under the ROC curve: the chance a random default outranks a random non-default (ties count half).</summary>
    public static double RocAuc(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels) => RocAuc(RankedScores.Create(scores, labels));

    /// <summary>Average precision: precision at each distinct threshold weighted by the recall it adds.</summary>
    public static double PrAuc(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        var r = RankedScores.Create(scores, labels);
        double area = 0;
        long previousTp = 0;
        for (var i = 0; i < r.Thresholds.Length; i++)
        {
            var tp = r.PositivesAtOrAbove[i];
            var precision = (double)tp / (tp + r.NegativesAtOrAbove[i]);
            area += (double)(tp - previousTp) / r.Positives * precision;
            previousTp = tp;
        }

        return area;
    }

    /// <summary>Kolmogorov–Smirnov statistic: the largest gap between the true and false positive rates.</summary>
    public static double KolmogorovSmirnov(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        var r = RankedScores.Create(scores, labels);
        double ks = 0;
        for (var i = 0; i < r.Thresholds.Length; i++)
        {
            ks = Math.Max(ks, Math.Abs(((double)r.PositivesAtOrAbove[i] / r.Positives) - ((double)r.NegativesAtOrAbove[i] / r.Negatives)));
        }

        return ks;
    }

    /// <summary>Mean squared error of the probabilities.</summary>
    public static double Brier(ReadOnlySpan<float> probabilities, ReadOnlySpan<bool> labels)
    {
        double sum = 0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var error = probabilities[i] - (labels[i] ? 1.0 : 0.0);
            sum += error * error;
        }

        return probabilities.Length == 0 ? 0 : sum / probabilities.Length;
    }

    /// <summary>Mean negative natural log-likelihood, probabilities clipped to [1e-15, 1 − 1e-15].</summary>
    public static double LogLoss(ReadOnlySpan<float> probabilities, ReadOnlySpan<bool> labels)
    {
        double sum = 0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = Math.Clamp(probabilities[i], 1e-15, 1 - 1e-15);
            sum -= labels[i] ? Math.Log(p) : Math.Log(1 - p);
        }

        return probabilities.Length == 0 ? 0 : sum / probabilities.Length;
    }

    /// <summary>ROC curve from (0,0) to (1,1), at most <paramref name="maxPoints"/> points.</summary>
    public static IReadOnlyList<CurvePoint> RocCurve(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels, int maxPoints = 200)
    {
        var r = RankedScores.Create(scores, labels);
        var points = new List<CurvePoint>(r.Thresholds.Length + 1) { new(0, 0, 1) };
        for (var i = 0; i < r.Thresholds.Length; i++)
        {
            points.Add(new CurvePoint((double)r.NegativesAtOrAbove[i] / r.Negatives, (double)r.PositivesAtOrAbove[i] / r.Positives, r.Thresholds[i]));
        }

        return CurveSampler.Downsample(points, maxPoints);
    }

    /// <summary>Precision–recall curve by descending threshold, at most <paramref name="maxPoints"/> points.</summary>
    public static IReadOnlyList<CurvePoint> PrCurve(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels, int maxPoints = 200)
    {
        var r = RankedScores.Create(scores, labels);
        var points = new List<CurvePoint>(r.Thresholds.Length);
        for (var i = 0; i < r.Thresholds.Length; i++)
        {
            var tp = r.PositivesAtOrAbove[i];
            points.Add(new CurvePoint((double)tp / r.Positives, (double)tp / (tp + r.NegativesAtOrAbove[i]), r.Thresholds[i]));
        }

        return CurveSampler.Downsample(points, maxPoints);
    }

    internal static double RocAuc(RankedScores r)
    {
        // Trapezoids between consecutive distinct thresholds: exactly the Mann–Whitney statistic with ties as halves.
        double area = 0;
        long previousTp = 0, previousFp = 0;
        for (var i = 0; i < r.Thresholds.Length; i++)
        {
            var tp = r.PositivesAtOrAbove[i];
            var fp = r.NegativesAtOrAbove[i];
            area += (fp - previousFp) * (tp + previousTp) / 2.0;
            previousTp = tp;
            previousFp = fp;
        }

        return area / ((double)r.Positives * r.Negatives);
    }
}
