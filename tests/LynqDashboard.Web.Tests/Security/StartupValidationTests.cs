using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Tests.Security;

/// <summary>Bad security settings stop the start with a message naming what to fix.</summary>
[Collection(AppHostCollection.Name)]
public sealed class StartupValidationTests
{
    [Fact]
    public async Task ShortKeyInLynqApiKeys_StopsTheStart_NamingTheVariable_NotTheKey()
    {
        var before = Environment.GetEnvironmentVariable("LYNQ_API_KEYS");
        Environment.SetEnvironmentVariable("LYNQ_API_KEYS", "long-enough-key-0123456789, short7");
        try
        {
            await using var factory = new DashboardFactory();

            var validation = ValidationError(Assert.ThrowsAny<Exception>(() => factory.Server));

            Assert.Contains("LYNQ_API_KEYS holds a key shorter than 16 characters", validation.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("short7", validation.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("LYNQ_API_KEYS", before);
        }
    }

    [Theory]
    [InlineData("Lynq:Proxy:KnownProxies:0", "proxy.internal", "LYNQ_KNOWN_PROXIES (or Lynq:Proxy:KnownProxies) holds 'proxy.internal', which is not an IP address")]
    [InlineData("Lynq:Proxy:KnownNetworks:0", "10.0.0.0/33", "LYNQ_KNOWN_NETWORKS (or Lynq:Proxy:KnownNetworks) holds '10.0.0.0/33', which is not a network in CIDR form")]
    [InlineData("Lynq:Scoring:FailedKeyLimit", "0", "Lynq:Scoring:FailedKeyLimit must be between 1 and 10,000")]
    [InlineData("Lynq:Scoring:FailedKeyWindowSeconds", "0", "Lynq:Scoring:FailedKeyWindowSeconds must be between 1 and 86,400")]
    [InlineData("Lynq:Auth:SignInFailuresPerAddress", "2", "Lynq:Auth:SignInFailuresPerAddress must be between 3 and 10,000")]
    [InlineData("Lynq:Auth:SignInWindowMinutes", "0", "Lynq:Auth:SignInWindowMinutes must be between 1 and 1,440")]
    [InlineData("Lynq:Auth:TrustedBrowserDays", "400", "Lynq:Auth:TrustedBrowserDays must be between 0 and 365")]
    [InlineData("Lynq:Auth:RevalidateSeconds", "0", "Lynq:Auth:RevalidateSeconds must be between 1 and 3,600")]
    public async Task Start_InvalidSecurityOption_FailsNamingTheKey(string key, string value, string message)
    {
        await using var factory = new DashboardFactory { Settings = { [key] = value } };

        var validation = ValidationError(Assert.ThrowsAny<Exception>(() => factory.Server));

        Assert.Contains(message, validation.Message, StringComparison.Ordinal);
    }

    private static OptionsValidationException ValidationError(Exception error)
    {
        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException ?? (error as AggregateException)?.InnerExceptions.OfType<OptionsValidationException>().FirstOrDefault();
        Assert.NotNull(validation);
        return validation;
    }
}
