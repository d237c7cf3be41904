using LynqDashboard.Web;

// ContentRootPath = the build output, where the root appsettings.json and the static web assets manifest land:
// without it a published app started from another folder serves every static file as 0 bytes.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddLynqWeb();

var app = builder.Build();
// Default files rewrite "/" to index.html, so they run before routing picks a static asset endpoint.
app.UseDefaultFiles();
app.UseRouting();
app.MapStaticAssets();
app.MapHealth();
app.Run();

public partial class Program;
