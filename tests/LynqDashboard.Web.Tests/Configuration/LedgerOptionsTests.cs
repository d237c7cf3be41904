using LynqDashboard.Web.Configuration;

namespace LynqDashboard.Web.Tests.Configuration;

/// <summary>The ledger's buffer settings: the defaults pass, and each out-of-range value is refused naming its key.</summary>
public sealed class LedgerOptionsTests
{
    [Fact]
    public void Defaults_Pass_AndGatherASecondOfDecisionsPerTransaction()
    {
        var options = new MonitoringOptions();

        Assert.True(new MonitoringOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(1_000, options.Ledger.LingerMilliseconds);
        Assert.Equal(20_000, options.Ledger.BatchSize);
    }

    [Theory]
    [InlineData(-1, "Lynq:Monitoring:Ledger:LingerMilliseconds must be between 0 and 60,000 (it is -1).")]
    [InlineData(60_001, "Lynq:Monitoring:Ledger:LingerMilliseconds must be between 0 and 60,000 (it is 60001).")]
    public void Linger_OutOfRange_IsRefusedNamingTheKey(int linger, string message)
    {
        var options = new MonitoringOptions();
        options.Ledger.LingerMilliseconds = linger;

        var result = new MonitoringOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(message, result.Failures!);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(60_000)]
    public void Linger_AtTheEnds_Passes(int linger)
    {
        var options = new MonitoringOptions();
        options.Ledger.LingerMilliseconds = linger;

        Assert.True(new MonitoringOptionsValidator().Validate(null, options).Succeeded);
    }
}
