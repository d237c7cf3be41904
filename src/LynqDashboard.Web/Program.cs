using Hangfire;
using LynqDashboard.Web;
using LynqDashboard.Web.Components;
using LynqDashboard.Web.Challengers;
using LynqDashboard.Web.Configuration;
using LynqDashboard.Web.Endpoints;
using LynqDashboard.Web.Monitoring;
using LynqDashboard.Web.Observability;
using LynqDashboard.Web.Retraining;
using LynqDashboard.Web.Scoring;
using LynqDashboard.Web.Security;
using Prometheus;

StartupFailure.ExitOnUnhandled(AppDomain.CurrentDomain, Console.Error);

// ContentRootPath = the build output, where the root appsettings.json and the static web assets manifest land:
// without it a published app started from another folder serves every static file as 0 bytes.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
EnvironmentAliases.Apply(builder.Configuration);

// `dotnet run` of an unpublished build starts in Production, where the static web assets (Blazor's script, MudBlazor's
// CSS, our fingerprinted files) are not wired and answer 200 with 0 bytes: read the build's manifest in every
// environment. A published app has no such manifest and serves them from its own wwwroot, so this does nothing there.
builder.WebHost.UseStaticWebAssets();

// A start that fails is explained in one line (StartupFailure), so the host's own error log of it is noise.
builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

builder.Services.AddLynqWeb(builder.Configuration);

var app = builder.Build();

// Every option is checked before anything uses one, so a mistake is reported as the validator's message naming the key.
app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
var role = app.Services.GetRequiredService<ProcessRoleInfo>();
_ = app.Services.GetRequiredService<AppUptime>(); // uptime counts from start-up, not from the first /health call
// The job client takes Hangfire's (process-wide) log provider when made: make it with this host, not at the first enqueue.
_ = app.Services.GetService<IBackgroundJobClient>();
// First: everything after it (throttling, audit, Secure cookies, HSTS) sees the client and scheme the trusted proxy saw.
app.UseLynqForwardedHeaders();
app.UseMiddleware<RequestIdMiddleware>();
app.UseLynqSecurityHeaders();
// A request the framework calls bad (a form without its anti-forgery token, say) is the caller's fault: its own
// status (400), not a 500; everything else unexpected becomes problem details without a stack trace.
app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError });
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}

app.UseStatusCodePages();
if (role.ServesScoring)
{
    app.UseMiddleware<ScoringMetricsMiddleware>();
}

if (role.ServesDashboard)
{
    // The scoring API's callers are services with an API key and no cookie: they skip the cookie handler (about 4 % of
    // the process under load). Every other path is authenticated as before.
    app.UseWhen(context => ScoringEndpoints.RouteLabelOf(context.Request.Path) is null, dashboard => dashboard.UseAuthentication());
    app.UseAuthorization();
    app.UseMustChangePassword();
}
else if (role.ServesScoring)
{
    app.UseAuthorization();
}

if (role.ServesScoring)
{
    app.UseRateLimiter();
}

if (role.ServesDashboard)
{
    app.UseAntiforgery();
}

// Everything needs a signed-in user (the fallback policy) except what is opened here on purpose.
app.MapHealth();
app.MapMetrics("/metrics", app.Services.GetRequiredService<LynqMetrics>().Registry).AllowAnonymous();
app.MapLynqMonitoring(role);
app.MapLynqChallengers(role);
app.MapRetraining(role);
if (role.ServesScoring)
{
    app.MapScoring();
    app.MapPolicy();
    app.MapOpenApi().AllowAnonymous();
}

if (role.ServesDashboard)
{
    app.MapStaticAssets().AllowAnonymous();
    app.MapArtifactDownloads();
    app.MapAccount();
    app.MapDashboardApi();
    app.MapHangfireDashboard("/jobs", new DashboardOptions { Authorization = [new JobsDashboardFilter()], AppPath = "/" }).AllowAnonymous();
    app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
}

app.Run();

public partial class Program;
