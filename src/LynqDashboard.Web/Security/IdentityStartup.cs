using LynqDashboard.Core.Access;
using LynqDashboard.Core.Registry;
using LynqDashboard.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Security;

/// <summary>
/// At start-up, after the migrations: the four roles exist, and a database without users gets its first Admin,
/// from LYNQ_ADMIN_EMAIL / LYNQ_ADMIN_PASSWORD when set, otherwise with a one-time password printed once to the
/// console (not to the logs) that must be changed at the first sign-in.
/// </summary>
public sealed class IdentityStartup(IServiceScopeFactory scopes, IOptions<AuthOptions> options, IAuditLog audit, TimeProvider clock, ILogger<IdentityStartup> logger) : IHostedService
{
    public const string DefaultAdminEmail = "admin@lynq.local";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in LynqRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"create the {role} role");
            }
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<LynqUser>>();
        if (users.Users.Any())
        {
            return;
        }

        var configured = options.Value;
        var email = string.IsNullOrWhiteSpace(configured.AdminEmail) ? DefaultAdminEmail : configured.AdminEmail.Trim();
        var oneTime = string.IsNullOrWhiteSpace(configured.AdminPassword);
        var password = oneTime ? OneTimePassword.Create() : configured.AdminPassword!;
        var admin = new LynqUser { UserName = email, Email = email, EmailConfirmed = true, MustChangePassword = oneTime, CreatedAt = clock.GetUtcNow() };
        Check(await users.CreateAsync(admin, password), "create the first Admin (check LYNQ_ADMIN_PASSWORD against the password rules)");
        Check(await users.AddToRoleAsync(admin, LynqRoles.Admin), "make the first user an Admin");
        await audit.AppendAsync(new AuditEvent { At = clock.GetUtcNow(), Actor = "system", Action = "user.created", Subject = email, Detail = $"first Admin ({(oneTime ? "one-time password" : "password from LYNQ_ADMIN_PASSWORD")})" }, cancellationToken);
        if (oneTime)
        {
            // Once, on the console only: log sinks keep what they receive, and this password opens the whole dashboard.
            Console.WriteLine();
            Console.WriteLine("LynqDashboard: first sign-in");
            Console.WriteLine($"  e-mail:             {email}");
            Console.WriteLine($"  one-time password:  {password}");
            Console.WriteLine("  You must choose a new password when you sign in. Set LYNQ_ADMIN_EMAIL and LYNQ_ADMIN_PASSWORD to choose them yourself.");
            Console.WriteLine();
            logger.LogWarning("Created the first Admin {Email} with a one-time password, printed once to the console", email);
        }
        else
        {
            logger.LogInformation("Created the first Admin {Email} from LYNQ_ADMIN_EMAIL", email);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}
