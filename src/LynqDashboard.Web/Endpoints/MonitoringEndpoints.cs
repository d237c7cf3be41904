using LynqDashboard.Core;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Web.Monitoring;
using LynqDashboard.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LynqDashboard.Web.Endpoints;

/// <summary>
/// Monitoring over HTTP for a signed-in person: the latest snapshot and the history of a version, a run now (Trainer),
/// the schedule (Admin to change it) and the champion–challenger comparison (<see cref="ChallengerComparisonEndpoints"/>). Same cookie, anti-forgery header and role checks as the other dashboard endpoints.
/// </summary>
public static class MonitoringEndpoints
{
    public static IEndpointRouteBuilder MapMonitoringApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dashboard/monitoring").RequireAuthorization(LynqRoles.Viewer).AddEndpointFilter<DashboardApiEndpoints.DashboardApiFilter>();
        api.MapGet("/schedule", async (MonitoringSchedule schedule, CancellationToken cancellationToken) => TypedResults.Ok(await schedule.GetAsync(cancellationToken)))
            .WithSummary("When monitoring snapshots run: the cron (UTC), the next run, and who set it when.");
        api.MapPut("/schedule", async Task<Results<Ok<MonitoringScheduleView>, ProblemHttpResult>> (ScheduleBody? body, MonitoringSchedule schedule, UserAccess access, CancellationToken cancellationToken) =>
        {
            var actor = await access.RequireAsync(LynqRoles.Admin, "change the monitoring schedule");
            return TypedResults.Ok(await schedule.SetAsync(body?.Cron, actor, cancellationToken));
        }).WithSummary("Changes the snapshot schedule (Admin): {\"cron\": \"0 * * * *\"}; a bad expression is a 422 naming cron.");
        api.MapPost("/run", async Task<Results<Ok<List<SnapshotView>>, ProblemHttpResult>> (int? version, IMonitoringRunner runner, UserAccess access, CancellationToken cancellationToken) =>
        {
            await access.RequireAsync(LynqRoles.Trainer, "run a monitoring snapshot");
            var snapshots = version is { } number ? [await runner.RunAsync(number, cancellationToken)] : await runner.RunAllAsync(cancellationToken);
            return TypedResults.Ok(snapshots.Select(SnapshotView.Of).ToList());
        }).WithSummary("Computes snapshots now (Trainer): every serving version, or ?version=N; answers with them when done.");
        api.MapGet("/{versionNumber:int}", async Task<Results<Ok<SnapshotView>, ProblemHttpResult>> (int versionNumber, IMonitoringStore store, CancellationToken cancellationToken) =>
            await store.LatestSnapshotAsync(versionNumber, cancellationToken) is { } snapshot
                ? TypedResults.Ok(SnapshotView.Of(snapshot))
                : LynqException.NotFound($"Version {versionNumber} has no monitoring snapshot yet: one is computed on the schedule, or now with POST /api/dashboard/monitoring/run?version={versionNumber}.").ToProblem())
            .WithSummary("The latest monitoring snapshot of a version.");
        api.MapGet("/{versionNumber:int}/history", async (int versionNumber, int? take, IMonitoringStore store, CancellationToken cancellationToken) =>
            TypedResults.Ok((await store.ListSnapshotsAsync(versionNumber, Math.Clamp(take ?? 200, 1, 1000), cancellationToken)).Select(SnapshotView.Of).ToList()))
            .WithSummary("A version's snapshots, newest first (?take=, default 200), for charts.");
        api.MapChallengerComparison();
        return app;
    }

    public sealed record ScheduleBody(string? Cron);

    /// <summary>A snapshot as JSON: the alert kinds and traffic lights as words.</summary>
    public sealed record SnapshotView(
        Guid Id, int? VersionNumber, string ModelVersion, DateTimeOffset At, DateTimeOffset From, DateTimeOffset To, long Decisions, long WithOutcome,
        double? ScorePsi, string ScoreLight, IReadOnlyDictionary<string, double> FeatureCsi, IReadOnlyDictionary<string, string> FeatureLights,
        IReadOnlyList<DayView> Days, IReadOnlyList<HourlyCount> Hours, IReadOnlyList<VintageBackTest> Vintages, IReadOnlyList<AlertView> Alerts,
        MonitoringThresholds Thresholds, double ComputeSeconds)
    {
        public static SnapshotView Of(MonitoringSnapshot s)
        {
            ArgumentNullException.ThrowIfNull(s);
            return new SnapshotView(s.Id, s.VersionNumber, s.ModelVersion, s.At, s.From, s.To, s.Decisions, s.WithOutcome,
                s.ScorePsi, Light(s.LightOf(s.ScorePsi)), s.FeatureCsi, s.FeatureCsi.ToDictionary(f => f.Key, f => Light(s.LightOf(f.Value)), StringComparer.Ordinal),
                [.. s.Days.Select(d => new DayView(d.Day, d.Decisions, d.MeanPd, d.ApprovalRate, d.Actions))], s.Hours, s.Vintages,
                [.. s.Alerts.Select(a => new AlertView(MonitoringMetrics.KindLabel(a.Kind), a.Feature, a.Value, a.Limit, a.Message))],
                s.Thresholds, s.ComputeSeconds);
        }

        private static string Light(StabilityLight light) => light.ToString().ToLowerInvariant();
    }

    public sealed record DayView(DateTimeOffset Day, long Decisions, double MeanPd, double ApprovalRate, IReadOnlyDictionary<string, long> Actions);

    public sealed record AlertView(string Kind, string? Feature, double Value, double Limit, string Message);
}
