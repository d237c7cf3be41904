using System.Text.Json;
using LynqDashboard.Core;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Retraining;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Endpoints;
using LynqDashboard.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Retraining;

/// <summary>
/// Retraining schedules over HTTP for a signed-in person, in the dashboard API's group (session cookie, anti-forgery
/// token on POSTs): Viewers read schedules and their history; Trainers create, pause, resume and run them.
/// </summary>
public static class RetrainingEndpoints
{
    public static IEndpointRouteBuilder MapRetrainingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dashboard/schedules").RequireAuthorization(LynqRoles.Viewer).AddEndpointFilter<DashboardApiEndpoints.DashboardApiFilter>();
        api.MapGet("/", async (RetrainingSchedules schedules, TimeProvider clock) =>
        {
            var now = clock.GetUtcNow();
            var runs = await schedules.HistoryAsync(take: 1000);
            return TypedResults.Ok((await schedules.ListAsync()).Select(s => ScheduleView.Of(s, now, runs.FirstOrDefault(r => r.ScheduleId == s.Id))).ToList());
        }).WithSummary("Every retraining schedule with its next cron run (UTC), whether it is paused, and its last run.");
        api.MapGet("/{id:guid}/runs", async Task<Results<Ok<List<ScheduleRunView>>, NotFound>> (Guid id, RetrainingSchedules schedules, IRetrainingStore store, int? take) =>
            await store.GetScheduleAsync(id) is null
                ? TypedResults.NotFound()
                : TypedResults.Ok((await schedules.HistoryAsync(id, Math.Clamp(take ?? 100, 1, 1000))).Select(ScheduleRunView.Of).ToList()))
            .WithSummary("A schedule's runs, newest first: start, end, outcome, the version it trained, the request it opened, why it was skipped or failed.");
        api.MapPost("/", async Task<Results<Created<ScheduleView>, ProblemHttpResult>> (HttpRequest request, UserAccess access, RetrainingSchedules schedules, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, TimeProvider clock) =>
        {
            var by = await access.RequireAsync(LynqRoles.Trainer, "create a retraining schedule");
            var draft = await ReadAsync<ScheduleDraft>(request, json.Value.SerializerOptions, required: true);
            var created = await schedules.CreateAsync(draft!, by);
            return TypedResults.Created($"/api/dashboard/schedules/{created.Id}", ScheduleView.Of(created, clock.GetUtcNow(), null));
        }).WithSummary("Creates a schedule (Trainer). Body: {\"name\", \"cron\", \"time_zone\", \"source\": generate | newest_dataset | ledger, \"rows\", \"seed\", \"default_rate\", \"ledger_window_days\", \"training\": {…}, \"on_cron\", \"on_alert\"}.");
        api.MapPost("/{id:guid}/pause", async (Guid id, UserAccess access, RetrainingSchedules schedules, TimeProvider clock) =>
            TypedResults.Ok(ScheduleView.Of(await schedules.PauseAsync(id, await access.RequireAsync(LynqRoles.Trainer, "pause a retraining schedule")), clock.GetUtcNow(), null)))
            .WithSummary("Pauses a schedule (Trainer): its cron and alert triggers stop, across restarts, until resumed.");
        api.MapPost("/{id:guid}/resume", async (Guid id, UserAccess access, RetrainingSchedules schedules, TimeProvider clock) =>
            TypedResults.Ok(ScheduleView.Of(await schedules.ResumeAsync(id, await access.RequireAsync(LynqRoles.Trainer, "resume a retraining schedule")), clock.GetUtcNow(), null)))
            .WithSummary("Resumes a paused schedule (Trainer).");
        api.MapPost("/{id:guid}/run", async (Guid id, HttpRequest request, UserAccess access, RetrainingSchedules schedules, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) =>
        {
            var by = await access.RequireAsync(LynqRoles.Trainer, "run a retraining schedule");
            var overrides = await ReadAsync<RunOverrides>(request, json.Value.SerializerOptions, required: false);
            var job = await schedules.RunNowAsync(id, by, overrides);
            return TypedResults.Accepted($"/api/dashboard/schedules/{id}/runs", new RunQueued(job));
        }).WithSummary("Queues one run now (Trainer), even while paused; optional body {\"rows\", \"seed\", \"trees\", \"ledger_window_days\"}.");
        return app;
    }

    // The body is read here rather than bound, so a value of the wrong type is a 422 naming its field, never a 400 or a 500.
    private static async Task<T?> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options, bool required)
        where T : class
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
        if (body.Length == 0)
        {
            return required ? throw LynqException.Invalid("body", "a JSON object is required.") : null;
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(body.GetBuffer().AsSpan(0, (int)body.Length), options);
            return value ?? (required ? throw LynqException.Invalid("body", "a JSON object is required, not null.") : null);
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
            throw LynqException.Invalid(field, $"is not readable as the field it names ({e.Message.Split(" Path:", 2)[0]})");
        }
    }

    public sealed record RunQueued(string JobId);
}

/// <summary>A schedule as the API shows it.</summary>
public sealed record ScheduleView(
    Guid Id, string Name, string Cron, string TimeZone, string Source, int? Rows, long? Seed, double? DefaultRate, int LedgerWindowDays,
    TrainingParameters Training, bool OnCron, bool OnAlert, bool Paused, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? NextRunAt,
    bool Running, ScheduleRunView? LastRun)
{
    public static ScheduleView Of(RetrainingSchedule s, DateTimeOffset now, ScheduleRun? last)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Id, s.Name, s.Cron, s.TimeZone, ScheduleDrafts.NameOf(s.Source), s.Generate?.Rows, s.Generate?.Seed, s.Generate?.DefaultRate, s.LedgerWindowDays,
            s.Training, s.OnCron, s.OnAlert, s.Paused, s.CreatedBy, s.CreatedAt, RetrainingSchedules.NextRun(s, now), s.RunningRunId is not null, last is null ? null : ScheduleRunView.Of(last));
    }
}

/// <summary>A run as the API shows it.</summary>
public sealed record ScheduleRunView(
    Guid Id, int Number, string Trigger, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string Outcome, string? Detail,
    Guid? DatasetId, int? Version, Guid? PromotionRequestId, LedgerLineage? Lineage)
{
    public static ScheduleRunView Of(ScheduleRun r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Id, r.Number, r.Trigger, r.StartedAt, r.FinishedAt, System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(r.Outcome.ToString()), r.Detail,
            r.DatasetId, r.VersionNumber, r.PromotionRequestId, r.Lineage);
    }
}
