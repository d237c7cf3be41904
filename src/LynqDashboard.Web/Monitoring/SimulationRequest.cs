using LynqDashboard.Core;
using LynqDashboard.Core.Monitoring;

namespace LynqDashboard.Web.Monitoring;

/// <summary>What an Admin asks the dashboard to simulate (POST /api/dashboard/simulations, the Monitoring page's panel).</summary>
/// <param name="Rows">Applications, 1 to 1,000,000 (default 20,000).</param>
/// <param name="Drift">One of <see cref="TrafficDrifts.Names"/> (default none).</param>
/// <param name="Outcomes">Also record each decision's outcome, drawn from its true PD (default true).</param>
/// <param name="Seed">Any 64-bit integer (default 1).</param>
/// <param name="Hours">The decision times are spread evenly over the last this many hours, 1 to 720 (default 24).</param>
public sealed record SimulationRequest(int Rows = 20_000, string? Drift = TrafficDrifts.None, bool Outcomes = true, long Seed = 1, int Hours = 24)
{
    public const int MaxRows = 1_000_000;
    public const int MaxHours = 720;

    /// <summary>Every field that breaks a rule; empty when valid.</summary>
    public IReadOnlyList<FieldProblem> Problems()
    {
        var problems = new List<FieldProblem>();
        if (Rows is < 1 or > MaxRows)
        {
            problems.Add(new FieldProblem("rows", $"must be between 1 and {MaxRows:N0} (got {Rows:N0})"));
        }

        if (!TrafficDrifts.TryParse(Drift, out _))
        {
            problems.Add(new FieldProblem("drift", $"{TrafficDrifts.Expected} (got \"{Drift}\")"));
        }

        if (Hours is < 1 or > MaxHours)
        {
            problems.Add(new FieldProblem("hours", $"must be between 1 and {MaxHours} (got {Hours})"));
        }

        return problems;
    }

    public TrafficDrift ParsedDrift => TrafficDrifts.TryParse(Drift, out var drift) ? drift : TrafficDrift.None;
}

/// <summary>Where a simulation stands (GET /api/dashboard/simulations/{id}); a new value at each step, never changed.</summary>
public sealed record SimulationStatus(
    Guid Id,
    SimulationRequest Request,
    string StartedBy,
    DateTimeOffset StartedAt,
    string State,
    int RowsDone,
    int Dropped,
    IReadOnlyDictionary<string, int> Actions,
    int OutcomesRecorded,
    int OutcomesUnknown,
    double MeanPd,
    double MeanTruePd,
    double DrawnDefaultRate,
    string? Error = null,
    DateTimeOffset? FinishedAt = null)
{
    public const string Running = "running";
    public const string Finished = "finished";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public bool IsRunning => State == Running;

    public double Fraction => Request.Rows == 0 ? 0 : (double)RowsDone / Request.Rows;
}
