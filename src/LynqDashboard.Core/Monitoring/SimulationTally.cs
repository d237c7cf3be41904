namespace LynqDashboard.Core.Monitoring;

/// <summary>
/// What a simulation run sent and got back, counted the same way by the command line and the dashboard: the action mix,
/// the model's mean PD beside the generator's mean true PD and the drawn default rate, and the outcomes recorded.
/// Not thread-safe: one run adds to it from one loop.
/// </summary>
public sealed class SimulationTally
{
    private readonly Dictionary<string, int> _actions = new(StringComparer.Ordinal);
    private double _pdSum;
    private double _truePdSum;

    public int Sent { get; private set; }

    public int Scored { get; private set; }

    public int DrawnDefaults { get; private set; }

    public int OutcomesRecorded { get; private set; }

    public int OutcomesUnknown { get; private set; }

    /// <summary>Outcomes refused (a different one was stored before, or the item was unreadable).</summary>
    public int OutcomesRefused { get; private set; }

    /// <summary>How many answers recommended each action (APPROVE, REJECT …), in the order first seen.</summary>
    public IReadOnlyDictionary<string, int> Actions => _actions;

    public double MeanPd => Scored == 0 ? 0 : _pdSum / Scored;

    public double MeanTruePd => Sent == 0 ? 0 : _truePdSum / Sent;

    public double DrawnDefaultRate => Sent == 0 ? 0 : (double)DrawnDefaults / Sent;

    public void AddSent(SimulatedApplication application)
    {
        ArgumentNullException.ThrowIfNull(application);
        Sent++;
        _truePdSum += application.TruePd;
        DrawnDefaults += application.Defaulted ? 1 : 0;
    }

    public void AddScored(string action, double defaultProbability)
    {
        Scored++;
        _pdSum += defaultProbability;
        _actions[action] = _actions.GetValueOrDefault(action) + 1;
    }

    /// <summary>Counts the final verdicts of outcomes (an unknown one counted only once it is given up on).</summary>
    public void AddOutcomes(IEnumerable<OutcomeVerdict> verdicts)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        foreach (var verdict in verdicts)
        {
            switch (verdict)
            {
                case OutcomeVerdict.Recorded or OutcomeVerdict.AlreadyRecorded:
                    OutcomesRecorded++;
                    break;
                case OutcomeVerdict.UnknownRequest:
                    OutcomesUnknown++;
                    break;
                default:
                    OutcomesRefused++;
                    break;
            }
        }
    }

    /// <summary>"APPROVE 61.2 %, MANUAL_REVIEW 20.1 %, …", largest first.</summary>
    public string DescribeActions() => Scored == 0
        ? "none"
        : string.Join(", ", _actions.OrderByDescending(a => a.Value).Select(a => $"{a.Key} {(double)a.Value / Scored:P1}"));
}
