namespace LynqDashboard.Core.Data;

/// <summary>One problem in a CSV file, located by line (the header is line 1) and column.</summary>
public sealed record DatasetError(long Line, string? Column, string Message)
{
    /// <summary>"line 4, column loan_amount" or "line 4": where it is, as a field name for problem reports.</summary>
    public string Place => Column is null ? $"line {Line}" : $"line {Line}, column {Column}";

    public override string ToString() => $"{Place}: {Message}";
}

/// <summary>A CSV could not be loaded; nothing of it was used.</summary>
public sealed class DatasetFormatException : LynqException
{
    public DatasetFormatException(IReadOnlyList<DatasetError> errors, bool truncated)
        : base(ProblemKind.Invalid, Describe(errors, truncated), [.. errors.Select(e => new FieldProblem(e.Place, e.Message))])
    {
        Errors = errors;
    }

    public DatasetFormatException()
        : this([], false)
    {
    }

    public DatasetFormatException(string message)
        : this([new DatasetError(0, null, message)], false)
    {
    }

    public DatasetFormatException(string message, Exception innerException)
        : base(ProblemKind.Invalid, message, [new FieldProblem("file", message)], innerException)
    {
        Errors = [new DatasetError(0, null, message)];
    }

    public IReadOnlyList<DatasetError> Errors { get; } = [];

    private static string Describe(IReadOnlyList<DatasetError> errors, bool truncated)
    {
        var lines = string.Join(Environment.NewLine, errors.Select(e => "  " + e));
        var more = truncated ? $"{Environment.NewLine}  (more problems after these were not listed)" : string.Empty;
        return $"The dataset has {errors.Count} problem(s):{Environment.NewLine}{lines}{more}";
    }
}
