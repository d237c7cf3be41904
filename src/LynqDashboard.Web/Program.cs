using Hangfire;
using LynqDashboard.Web;
using LynqDashboard.Web.Components;
using LynqDashboard.Web.Endpoints;
using LynqDashboard.Web.Scoring;

// ContentRootPath = the build output, where the root appsettings.json and the static web assets manifest land:
// without it a published app started from another folder serves every static file as 0 bytes.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
LynqDashboard.Web.Configuration.EnvironmentAliases.Apply(builder.Configuration);

builder.Services.AddLynqWeb(builder.Configuration);

var app = builder.Build();
_ = app.Services.GetRequiredService<AppUptime>(); // uptime counts from start-up, not from the first /health call
app.UseMiddleware<RequestIdMiddleware>();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRateLimiter();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapHealth();
app.MapScoring();
app.MapOpenApi();
app.MapArtifactDownloads();
app.MapHangfireDashboard("/jobs"); // local requests only until sign-in exists
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();

public partial class Program;
