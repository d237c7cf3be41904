using LynqDashboard.Core.Registry;

namespace LynqDashboard.Infrastructure.Registry;

/// <summary>Grid sort columns by name; versions without metrics (still training, failed) sort last either way.</summary>
internal static class VersionSort
{
    public static IQueryable<ModelVersionRecord> Apply(IQueryable<ModelVersionRecord> versions, string column, bool descending) => column switch
    {
        "created_at" => descending ? versions.OrderByDescending(v => v.CreatedAt) : versions.OrderBy(v => v.CreatedAt),
        "status" => descending ? versions.OrderByDescending(v => v.Status).ThenByDescending(v => v.Number) : versions.OrderBy(v => v.Status).ThenByDescending(v => v.Number),
        "roc_auc" => ByMetric(versions, v => v.RocAuc, descending),
        "ks" => ByMetric(versions, v => v.Ks, descending),
        "brier" => ByMetric(versions, v => v.Brier, descending),
        "calibration_error" => ByMetric(versions, v => v.CalibrationError, descending),
        _ => descending ? versions.OrderByDescending(v => v.Number) : versions.OrderBy(v => v.Number),
    };

    private static IQueryable<ModelVersionRecord> ByMetric(IQueryable<ModelVersionRecord> versions, System.Linq.Expressions.Expression<Func<ModelVersionRecord, double?>> metric, bool descending)
    {
        var nullsLast = versions.OrderBy(System.Linq.Expressions.Expression.Lambda<Func<ModelVersionRecord, bool>>(
            System.Linq.Expressions.Expression.Equal(metric.Body, System.Linq.Expressions.Expression.Constant(null, typeof(double?))), metric.Parameters));
        return descending ? nullsLast.ThenByDescending(metric).ThenByDescending(v => v.Number) : nullsLast.ThenBy(metric).ThenByDescending(v => v.Number);
    }
}
