using LynqDashboard.Core.Access;
using LynqDashboard.Core.Challengers;
using LynqDashboard.Web.Security;

namespace LynqDashboard.Web.Challengers;

/// <summary>What a signed-in person does to the shadow and the split on a version's page, checked against the Approver role on the server.</summary>
public sealed class ChallengerActions(UserAccess access, ChallengerCommands commands)
{
    public Task<ChallengerState> GetAsync(CancellationToken cancellationToken) => commands.GetAsync(cancellationToken);

    public async Task<ShadowAssignment> StartShadowAsync(int version, CancellationToken cancellationToken)
    {
        var actor = await access.RequireAsync(LynqRoles.Approver, "put a version in shadow");
        return await commands.StartShadowAsync(version, actor, cancellationToken);
    }

    public async Task StopShadowAsync(CancellationToken cancellationToken)
    {
        var actor = await access.RequireAsync(LynqRoles.Approver, "stop the shadow");
        await commands.StopShadowAsync(actor, cancellationToken);
    }

    public async Task<SplitAssignment> StartSplitAsync(int version, double? percent, CancellationToken cancellationToken)
    {
        var actor = await access.RequireAsync(LynqRoles.Approver, "start an A/B split");
        return await commands.StartSplitAsync(version, percent, actor, cancellationToken);
    }

    public async Task StopSplitAsync(CancellationToken cancellationToken)
    {
        var actor = await access.RequireAsync(LynqRoles.Approver, "stop the A/B split");
        await commands.StopSplitAsync(actor, cancellationToken);
    }
}
