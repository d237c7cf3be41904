namespace LynqDashboard.Core.Monitoring;

/// <summary>What became of a decided loan: reported once per request id, never changed afterwards.</summary>
public sealed class OutcomeRecord
{
    /// <summary>The decision's <see cref="DecisionRecord.RequestId"/>.</summary>
    public required string RequestId { get; init; }

    public required bool Defaulted { get; init; }

    /// <summary>When the lender observed it (the caller's time).</summary>
    public required DateTimeOffset ObservedAt { get; init; }

    /// <summary>When the ledger was told.</summary>
    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>Who told it: the API key's name or the user who uploaded the file.</summary>
    public required string RecordedBy { get; init; }
}

/// <summary>One reported outcome as the caller sent it.</summary>
public sealed record OutcomeSubmission(string RequestId, bool Defaulted, DateTimeOffset ObservedAt);

/// <summary>What became of one submitted outcome.</summary>
public enum OutcomeVerdict
{
    /// <summary>Stored now.</summary>
    Recorded,

    /// <summary>The same outcome was already stored: nothing changed.</summary>
    AlreadyRecorded,

    /// <summary>No decision has this request id.</summary>
    UnknownRequest,

    /// <summary>A different outcome is stored for this request id; it is kept and this one refused.</summary>
    Conflict,

    /// <summary>The item itself is unreadable (empty id, a time in the future …).</summary>
    Invalid,
}

/// <summary>The verdicts as the outcomes API writes them ("recorded", "already_recorded", "unknown", "conflict", "invalid"), read back by its clients.</summary>
public static class OutcomeVerdictNames
{
    public static string Of(OutcomeVerdict verdict) => verdict switch
    {
        OutcomeVerdict.Recorded => "recorded",
        OutcomeVerdict.AlreadyRecorded => "already_recorded",
        OutcomeVerdict.UnknownRequest => "unknown",
        OutcomeVerdict.Conflict => "conflict",
        _ => "invalid",
    };

    /// <summary>The verdict a name stands for; false for a name the API never writes.</summary>
    public static bool TryParse(string? name, out OutcomeVerdict verdict)
    {
        foreach (var candidate in Enum.GetValues<OutcomeVerdict>())
        {
            if (string.Equals(Of(candidate), name, StringComparison.Ordinal))
            {
                verdict = candidate;
                return true;
            }
        }

        verdict = OutcomeVerdict.Invalid;
        return false;
    }
}

/// <summary>The answer for one submitted item, in the order sent.</summary>
/// <param name="Index">Its position in the submission (for a CSV, its line number).</param>
/// <param name="RequestId">As sent.</param>
/// <param name="Verdict">What happened.</param>
/// <param name="Message">In words, naming the field for an invalid item.</param>
public sealed record OutcomeResult(int Index, string RequestId, OutcomeVerdict Verdict, string Message);
