namespace LynqDashboard.Core.Evaluation;

/// <summary>Thins a curve for charts by arc length, so steep and flat stretches both keep their shape.</summary>
internal static class CurveSampler
{
    public static IReadOnlyList<CurvePoint> Downsample(List<CurvePoint> points, int maxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        if (points.Count <= maxPoints)
        {
            return points;
        }

        var cumulative = new double[points.Count];
        for (var i = 1; i < points.Count; i++)
        {
            cumulative[i] = cumulative[i - 1] + Math.Sqrt(Math.Pow(points[i].X - points[i - 1].X, 2) + Math.Pow(points[i].Y - points[i - 1].Y, 2));
        }

        var total = cumulative[^1];
        var kept = new List<CurvePoint>(maxPoints) { points[0] };
        var next = 1;
        for (var k = 1; k < maxPoints - 1; k++)
        {
            var target = total * k / (maxPoints - 1);
            while (next < points.Count - 1 && cumulative[next] < target)
            {
                next++;
            }

            if (next < points.Count - 1 && !ReferenceEquals(kept[^1], points[next]))
            {
                kept.Add(points[next]);
            }
        }

        kept.Add(points[^1]);
        return kept;
    }
}
