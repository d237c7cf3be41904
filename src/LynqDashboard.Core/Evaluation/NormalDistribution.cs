namespace LynqDashboard.Core.Evaluation;

/// <summary>The standard normal tail, for p-values: accurate to about 1e-12 relative, also far in the tail where p is tiny.</summary>
public static class NormalDistribution
{
    /// <summary>P(|Z| ≥ |z|) for a standard normal Z.</summary>
    public static double TwoSidedPValue(double z) => Erfc(Math.Abs(z) / Math.Sqrt(2));

    /// <summary>P(Z ≤ z).</summary>
    public static double Cdf(double z) => z < 0 ? Erfc(-z / Math.Sqrt(2)) / 2 : 1 - (Erfc(z / Math.Sqrt(2)) / 2);

    /// <summary>The complementary error function: the power series of erf near 0, a continued fraction in the tail (where 1 − erf loses every digit).</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x < 0)
        {
            return 2 - Erfc(-x);
        }

        if (x < 2)
        {
            // erf(x) = 2/√π Σ (−1)^k x^(2k+1) / (k! (2k+1)); below 2 the terms shrink fast enough for double precision.
            double term = x, sum = x;
            var x2 = x * x;
            for (var k = 1; k < 200 && Math.Abs(term) > 1e-17 * Math.Abs(sum); k++)
            {
                term *= -x2 / k;
                sum += term / ((2 * k) + 1);
            }

            return 1 - (2 / Math.Sqrt(Math.PI) * sum);
        }

        if (x > 27)
        {
            return 0;
        }

        // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated by the modified Lentz method.
        const double tiny = 1e-300;
        var f = x;
        double c = x, d = 0;
        for (var k = 1; k < 500; k++)
        {
            var a = k / 2.0;
            d = x + (a * d);
            d = Math.Abs(d) < tiny ? tiny : d;
            c = x + (a / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }
}
