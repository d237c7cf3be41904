using LynqDashboard.Core.Access;
using LynqDashboard.Infrastructure.Identity;
using LynqDashboard.Infrastructure.Registry;
using LynqDashboard.Web.Scoring;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Security;

/// <summary>Sign-in, roles and hardening: the one place they are registered.</summary>
public static class SecurityServiceRegistration
{
    /// <param name="services">The services.</param>
    /// <param name="configuration">The app's configuration.</param>
    /// <param name="sharedKeys">True when several processes serve the dashboard: the cookie keys then live in the shared registry database.</param>
    public static IServiceCollection AddLynqSecurity(this IServiceCollection services, IConfiguration configuration, bool sharedKeys = false)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityStateProvider>();
        var authentication = services.AddAuthentication(options =>
        {
            options.DefaultScheme = IdentityConstants.ApplicationScheme;
            options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
        });
        authentication.AddIdentityCookies();
        if (auth.Oidc.Enabled)
        {
            authentication.AddOpenIdConnect(AccountEndpoints.OidcScheme, auth.Oidc.DisplayName, oidc => SingleSignOn.Configure(oidc, auth.Oidc));
        }

        services.AddIdentityCore<LynqUser>(identity =>
            {
                identity.User.RequireUniqueEmail = true;
                identity.SignIn.RequireConfirmedAccount = false;
                identity.Password.RequiredLength = auth.MinPasswordLength;
                identity.Password.RequireDigit = identity.Password.RequireLowercase = identity.Password.RequireUppercase = true;
                identity.Password.RequireNonAlphanumeric = false;
                identity.Password.RequiredUniqueChars = 4;
                identity.Lockout.AllowedForNewUsers = true;
                identity.Lockout.MaxFailedAccessAttempts = auth.MaxFailedAttempts;
                identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(auth.LockoutMinutes);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<RegistryDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<LynqClaimsFactory>();

        // A locked, demoted or reset user's cookie stops working within RevalidateSeconds (the security stamp); a
        // signed-out or expired session at the next request (SignInSessions, checked first, on every request).
        services.Configure<SecurityStampValidatorOptions>(options =>
        {
            options.ValidationInterval = TimeSpan.FromSeconds(auth.RevalidateSeconds);
            options.OnRefreshingPrincipal = KeepSessionClaim;
        });
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "lynq.auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;

            // Secure whenever the browser's request was https, including behind a TLS-terminating proxy (Lynq:Proxy).
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = "/account/login";
            cookie.LogoutPath = "/account/logout";
            cookie.AccessDeniedPath = "/account/access-denied";
            cookie.ExpireTimeSpan = TimeSpan.FromHours(auth.SessionHours);
            cookie.SlidingExpiration = true;

            // Programs calling /api get status codes, people get the sign-in page.
            cookie.Events.OnRedirectToLogin = context => Answer(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => Answer(context, StatusCodes.Status403Forbidden);
            cookie.Events.OnSigningIn = context => context.HttpContext.RequestServices.GetRequiredService<SignInSessions>().StartAsync(context);
            var checkStamp = cookie.Events.OnValidatePrincipal;
            cookie.Events.OnValidatePrincipal = async context =>
            {
                var sessions = context.HttpContext.RequestServices.GetRequiredService<SignInSessions>();
                if (context.Principal is null || !await sessions.ValidateAsync(context.Principal, context.HttpContext.RequestAborted))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }

                await checkStamp(context);
            };
        });

        // The cookie keys live with the data, so a restart (or a second process on the same data) keeps people signed
        // in; in a scale-out they live in the shared database, so a sign-in on one web process counts on the others.
        var protection = services.AddDataProtection().SetApplicationName("LynqDashboard");
        if (sharedKeys)
        {
            protection.PersistKeysToDbContext<RegistryDbContext>();
        }
        else
        {
            services.AddOptions<KeyManagementOptions>().Configure<Core.Storage.DataDirectory, ILoggerFactory>((keys, data, logs) =>
                keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(data.Root, "keys")), logs));
        }

        var policies = services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        foreach (var role in LynqRoles.All)
        {
            policies.AddPolicy(role, policy => policy.RequireRole(LynqRoles.AtLeast(role)));
        }

        services.AddSingleton<SignInSessions>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<TrustedBrowsers>();
        services.AddScoped<PasswordSignIn>();
        services.AddHostedService<IdentityStartup>();
        services.AddScoped<UserAccess>();
        services.AddScoped<DashboardActions>();
        services.AddScoped<AdminActions>();
        services.AddAntiforgery(options =>
        {
            options.HeaderName = DashboardApiEndpoints.TokenHeader;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return services;
    }

    // The security stamp check rebuilds the principal from the database; the session id must survive it.
    private static Task KeepSessionClaim(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.CurrentPrincipal?.FindFirst(SignInSessions.Claim) is { } session && context.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity identity
            && !identity.HasClaim(c => c.Type == SignInSessions.Claim))
        {
            identity.AddClaim(new System.Security.Claims.Claim(session.Type, session.Value));
        }

        return Task.CompletedTask;
    }

    private static Task Answer(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}
