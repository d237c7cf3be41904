using Microsoft.AspNetCore.Identity;

namespace LynqDashboard.Infrastructure.Identity;

/// <summary>A person who signs in to the dashboard (ASP.NET Core Identity, stored in the registry database).</summary>
public sealed class LynqUser : IdentityUser
{
    /// <summary>Set for a one-time password (the first Admin, a reset): every page asks for a new one until it is changed.</summary>
    public bool MustChangePassword { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
