using Hangfire.Dashboard;
using LynqDashboard.Core.Access;

namespace LynqDashboard.Web.Security;

/// <summary>Hangfire's dashboard at /jobs is for Admins: others (and an Admin who still has to change a one-time password) get 403, anonymous callers 401 (Hangfire picks the code).</summary>
public sealed class JobsDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.GetHttpContext().User;
        return Access.From(user).Has(LynqRoles.Admin) && !user.HasClaim(LynqClaimsFactory.MustChangePassword, "true");
    }
}
