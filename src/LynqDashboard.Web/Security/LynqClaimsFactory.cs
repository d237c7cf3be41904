using System.Security.Claims;
using LynqDashboard.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Security;

/// <summary>The usual Identity claims (name, roles, security stamp) plus a mark while the password must be changed.</summary>
public sealed class LynqClaimsFactory(UserManager<LynqUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<LynqUser, IdentityRole>(users, roles, options)
{
    public const string MustChangePassword = "lynq:must_change_password";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(LynqUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = await base.GenerateClaimsAsync(user);
        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(MustChangePassword, "true"));
        }

        return identity;
    }
}
