using LynqDashboard.Core.Challengers;
using LynqDashboard.Core;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;

namespace LynqDashboard.Web.Monitoring;

/// <summary>
/// The traffic simulator as a dashboard action: one run at a time in this process, in the background (a demo needs no
/// durability, so not a Hangfire job, and nothing survives a restart). Each application is scored with the app's own
/// scorer and serving model and recorded through the decision ledger as channel "simulator", with its decision time
/// spread evenly over the last <see cref="SimulationRequest.Hours"/> hours so the hourly charts show a simulated day.
/// Outcomes go to the decision store once the ledger has written the decisions.
/// </summary>
public sealed class TrafficSimulation(
    ActiveModel active, CreditScorer scorer, IDecisionLedger? ledger, IDecisionStore store, IAuditLog audit, TimeProvider clock, ILogger<TrafficSimulation> logger,
    ActiveChallengers? challengers = null) : IDisposable
{
    private const int OutcomeChunk = 10_000;
    private const int ReportEvery = 1_000;
    private static readonly TimeSpan LedgerWait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RetryWait = TimeSpan.FromMilliseconds(500);

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private CancellationTokenSource? _run;
    private SimulationStatus? _latest;

    /// <summary>Raised after each step of the current run (from a background thread).</summary>
    public event Action? Changed;

    /// <summary>The latest run, running or done; null before the first.</summary>
    public SimulationStatus? Latest => Volatile.Read(ref _latest);

    public SimulationStatus? Get(Guid id) => Latest is { } latest && latest.Id == id ? latest : null;

    /// <summary>Starts a run and returns its first status; refused while another runs or without a ledger.</summary>
    public async Task<SimulationStatus> StartAsync(SimulationRequest request, string startedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Problems() is { Count: > 0 } problems)
        {
            throw LynqException.Invalid(problems);
        }

        if (ledger is not { Enabled: true })
        {
            throw LynqException.Unavailable("The decision ledger is off in this process, so simulated decisions would go nowhere.", "Lynq:Monitoring:Ledger:Enabled");
        }

        SimulationStatus first;
        CancellationTokenSource run;
        lock (_gate)
        {
            if (Latest is { IsRunning: true } running)
            {
                throw LynqException.Conflict($"A simulation started by {running.StartedBy} is still running ({running.RowsDone:N0} of {running.Request.Rows:N0} rows); wait for it or cancel it.");
            }

            var tally = new SimulationTally();
            first = Snapshot(Guid.NewGuid(), request, startedBy, clock.GetUtcNow(), SimulationStatus.Running, tally, 0);
            _run = run = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            Publish(first);
        }

        await AuditAsync(first, "simulation.started", Describe(request), cancellationToken).ConfigureAwait(false);
        _ = Task.Run(() => RunAsync(first, run.Token), CancellationToken.None);
        return first;
    }

    /// <summary>Asks a running simulation to stop; false when it is not the one running.</summary>
    public bool Cancel(Guid id)
    {
        lock (_gate)
        {
            if (Latest is not { IsRunning: true } running || running.Id != id)
            {
                return false;
            }

            _run?.Cancel();
            return true;
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task RunAsync(SimulationStatus first, CancellationToken cancellationToken)
    {
        var request = first.Request;
        var tally = new SimulationTally();
        var dropped = 0;
        var state = SimulationStatus.Finished;
        string? error = null;
        try
        {
            // The API's routing: a running split answers its share of wallets, a shadow scores beside production.
            var serving = active.Current;
            var assigned = challengers?.Current ?? ChallengerModels.None;
            var end = clock.GetUtcNow();
            var step = TimeSpan.FromHours(request.Hours) / request.Rows;
            var outcomes = new List<OutcomeSubmission>(request.Outcomes ? request.Rows : 0);
            foreach (var simulated in new TrafficSimulator(request.Rows, request.Seed, request.ParsedDrift).Applications())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var at = end - TimeSpan.FromHours(request.Hours) + (step * simulated.Index);
                var route = ChallengerRouting.For(simulated.Application, serving, assigned);
                var result = scorer.Score(simulated.Application, route.Model, explain: false);
                var requestId = $"sim-{first.Id:N}-{simulated.Index}";
                tally.AddSent(simulated);
                tally.AddScored(result.RecommendedAction.ToString(), result.DefaultProbability);
                if (ledger!.Record(DecisionRecord.From(at, requestId, DecisionChannels.Simulator, first.StartedBy, simulated.Application, result, route.Model, route.Number, route.Arm, assigned.Shadow)))
                {
                    outcomes.Add(new OutcomeSubmission(requestId, simulated.Defaulted, end));
                }
                else
                {
                    dropped++;
                }

                if ((simulated.Index + 1) % ReportEvery == 0)
                {
                    Publish(Snapshot(first, SimulationStatus.Running, tally, dropped));
                }
            }

            Publish(Snapshot(first, SimulationStatus.Running, tally, dropped));
            if (request.Outcomes)
            {
                await RecordOutcomesAsync(outcomes, tally, first.StartedBy, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            state = SimulationStatus.Cancelled;
        }
#pragma warning disable CA1031 // a background run reports every failure in its status instead of dying unseen
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Simulation {Id} failed", first.Id);
            (state, error) = (SimulationStatus.Failed, e is LynqException ? e.Message : $"{e.GetType().Name}: {e.Message}");
        }

        var last = Snapshot(first, state, tally, dropped) with { Error = error, FinishedAt = clock.GetUtcNow() };
        Publish(last);
        await AuditAsync(last, "simulation.finished", $"{state}; {Describe(request)}; {tally.Sent:N0} decisions, {dropped:N0} dropped, outcomes {tally.OutcomesRecorded:N0} recorded / {tally.OutcomesUnknown:N0} unknown; actions {tally.DescribeActions()}", CancellationToken.None).ConfigureAwait(false);
    }

    // The ledger writes in the background: wait until it has caught up, then send; ids still unknown are sent again a few times.
    private async Task RecordOutcomesAsync(List<OutcomeSubmission> outcomes, SimulationTally tally, string by, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + LedgerWait;
        while (ledger!.Pending > 0 && clock.GetUtcNow() < deadline)
        {
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        foreach (var chunk in outcomes.Chunk(OutcomeChunk))
        {
            IReadOnlyList<OutcomeSubmission> pending = chunk;
            for (var attempt = 0; pending.Count > 0; attempt++)
            {
                var results = await store.RecordOutcomesAsync(pending, by, cancellationToken).ConfigureAwait(false);
                var unknown = results.Where(r => r.Verdict == OutcomeVerdict.UnknownRequest).Select(r => r.RequestId).ToHashSet(StringComparer.Ordinal);
                var final = unknown.Count == 0 || attempt >= 3;
                tally.AddOutcomes(results.Where(r => final || r.Verdict != OutcomeVerdict.UnknownRequest).Select(r => r.Verdict));
                if (final)
                {
                    break;
                }

                pending = [.. pending.Where(o => unknown.Contains(o.RequestId))];
                await Task.Delay(RetryWait * (attempt + 1), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Publish(SimulationStatus status)
    {
        Volatile.Write(ref _latest, status);
        Changed?.Invoke();
    }

    private static SimulationStatus Snapshot(SimulationStatus first, string state, SimulationTally tally, int dropped) =>
        Snapshot(first.Id, first.Request, first.StartedBy, first.StartedAt, state, tally, dropped);

    private static SimulationStatus Snapshot(Guid id, SimulationRequest request, string by, DateTimeOffset at, string state, SimulationTally tally, int dropped) =>
        new(id, request, by, at, state, tally.Sent, dropped, new Dictionary<string, int>(tally.Actions, StringComparer.Ordinal),
            tally.OutcomesRecorded, tally.OutcomesUnknown, tally.MeanPd, tally.MeanTruePd, tally.DrawnDefaultRate);

    private static string Describe(SimulationRequest r) =>
        $"rows {r.Rows:N0}, drift {r.ParsedDrift.ToName()}, outcomes {(r.Outcomes ? "yes" : "no")}, seed {r.Seed}, over {r.Hours} h";

    private Task AuditAsync(SimulationStatus status, string action, string detail, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEvent { At = clock.GetUtcNow(), Actor = status.StartedBy, Action = action, Subject = $"simulation {status.Id:N}", Detail = detail }, cancellationToken);
}
