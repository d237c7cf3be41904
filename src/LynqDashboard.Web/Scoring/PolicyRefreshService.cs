using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Scoring;

/// <summary>
/// Keeps <see cref="ActivePolicy"/> on the registry's active policy version. At start (after the registry's migrations,
/// hosted services starting in order) it stores version 1 (the LYNQ original) and version 2 (Lynq:Scoring:RiskPolicy)
/// when no version is stored yet, and loads the active one before any request is answered; afterwards it rereads the
/// active version every Lynq:Scoring:RefreshSeconds, so a policy saved by another dashboard process on the same
/// PostgreSQL registry reaches this one's answers too. A save in this process swaps the policy at once (DashboardActions).
/// </summary>
public sealed class PolicyRefreshService(IPolicyRegistry policies, ActivePolicy active, IOptions<ScoringOptions> options, TimeProvider clock, ILogger<PolicyRefreshService> logger)
    : Hosting.PeriodicService(clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.RefreshSeconds);

    protected override string Work => "Reading the active risk policy from the registry (the current one stays in force)";

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var seeded = await policies.SeedAsync(RiskPolicy.LynqOriginal, options.Value.RiskPolicy.ToPolicy(), cancellationToken);
        Apply(seeded);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        if (await policies.GetActiveAsync(cancellationToken) is { } stored)
        {
            Apply(stored);
        }
    }

    private void Apply(PolicyRecord stored)
    {
        if (active.Current.Version == stored.Version && active.Current.Name == stored.Name)
        {
            return;
        }

        active.Swap(stored.ToPolicy());
        logger.LogInformation("Scoring with risk policy v{Version} ({Name}), saved by {By}", stored.Version, stored.Name, stored.CreatedBy);
    }
}
