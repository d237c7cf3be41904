using Hangfire.Dashboard;
using LynqDashboard.Core.Access;

namespace LynqDashboard.Web.Security;

/// <summary>Hangfire's dashboard at /jobs is for Admins: others get 403, anonymous callers 401 (Hangfire picks the code).</summary>
public sealed class JobsDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Access.From(context.GetHttpContext().User).Has(LynqRoles.Admin);
    }
}
