namespace LynqDashboard.Core.Data;

/// <summary>One problem in a CSV file, located by line (the header is line 1) and column.</summary>
public sealed record DatasetError(long Line, string? Column, string Message)
{
    public override string ToString() => Column is null ? $"line {Line}: {Message}" : $"line {Line}, column {Column}: {Message}";
}

/// <summary>A CSV could not be loaded; nothing of it was used.</summary>
public sealed class DatasetFormatException : Exception
{
    public DatasetFormatException(IReadOnlyList<DatasetError> errors, bool truncated)
        : base(Describe(errors, truncated))
    {
        Errors = errors;
    }

    public DatasetFormatException()
        : this([], false)
    {
    }

    public DatasetFormatException(string message)
        : base(message)
    {
        Errors = [new DatasetError(0, null, message)];
    }

    public DatasetFormatException(string message, Exception innerException)
        : base(message, innerException)
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
