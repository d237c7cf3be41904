namespace LynqDashboard.Core.Data;

/// <summary>How far a generation has come.</summary>
public readonly record struct GenerationProgress(long RowsDone, long RowsTotal)
{
    public double Fraction => RowsTotal == 0 ? 1 : (double)RowsDone / RowsTotal;
}
