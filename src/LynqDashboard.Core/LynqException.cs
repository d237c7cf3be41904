namespace LynqDashboard.Core;

/// <summary>What kind of problem a person has in front of them; each surface maps it in one place.</summary>
public enum ProblemKind
{
    /// <summary>The input breaks a rule (HTTP 422, CLI exit code 2).</summary>
    Invalid,

    /// <summary>What was asked for is not on record (HTTP 404).</summary>
    NotFound,

    /// <summary>It does not fit the current state: still running, already revoked, another promotion under way (HTTP 409).</summary>
    Conflict,

    /// <summary>This person's role does not allow it (HTTP 403).</summary>
    Forbidden,

    /// <summary>Something it needs is switched off or cannot be reached: no bucket configured, S3 down (HTTP 503).</summary>
    Unavailable,
}

/// <summary>
/// The one exception a person is meant to read: what is wrong, in words that say what to do, with the kind of problem
/// and the request field, option or configuration key it concerns. The HTTP endpoints turn it into problem details
/// (Web/Endpoints/ProblemMapping), the pages into a notice, the command line into one line and an exit code
/// (Cli/CliContext). Anything else that escapes is a defect.
/// </summary>
public class LynqException : Exception
{
    public LynqException(ProblemKind kind, string message, string? field = null, Exception? innerException = null)
        : this(kind, message, field is null ? [] : [new FieldProblem(field, message)], innerException)
    {
    }

    public LynqException(ProblemKind kind, string message, IReadOnlyList<FieldProblem> problems, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(problems);
        Kind = kind;
        Problems = problems;
    }

    public LynqException()
        : this(ProblemKind.Invalid, "The request could not be done.")
    {
    }

    public LynqException(string message)
        : this(ProblemKind.Invalid, message)
    {
    }

    public LynqException(string message, Exception innerException)
        : this(ProblemKind.Invalid, message, field: null, innerException)
    {
    }

    public ProblemKind Kind { get; }

    /// <summary>Each field, option or key and what is wrong with it; empty when the problem is not about one field.</summary>
    public IReadOnlyList<FieldProblem> Problems { get; }

    /// <summary>The first field concerned, or null.</summary>
    public string? Field => Problems.Count > 0 ? Problems[0].Field : null;

    /// <summary>The input breaks a rule: <paramref name="field"/> names it (a request field, a parameter, a column).</summary>
    public static LynqException Invalid(string field, string message) => new(ProblemKind.Invalid, message, field);

    /// <summary>Several inputs break rules at once; the message lists them all.</summary>
    public static LynqException Invalid(IReadOnlyList<FieldProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return new(ProblemKind.Invalid, string.Join("; ", problems.Select(p => $"{p.Field} {p.Message}")), problems);
    }

    public static LynqException NotFound(string message, string? field = null) => new(ProblemKind.NotFound, message, field);

    public static LynqException Conflict(string message, Exception? innerException = null) => new(ProblemKind.Conflict, message, field: null, innerException);

    public static LynqException Forbidden(string message) => new(ProblemKind.Forbidden, message);

    /// <summary>Something needed is off or unreachable; <paramref name="key"/> names the setting that switches it on, when one does.</summary>
    public static LynqException Unavailable(string message, string? key = null, Exception? innerException = null) =>
        new(ProblemKind.Unavailable, message, key, innerException);
}

/// <summary>One field, option or key and what is wrong with it.</summary>
public sealed record FieldProblem(string Field, string Message);
