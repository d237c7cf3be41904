namespace LynqDashboard.Web;

/// <summary>The web project's one place that registers its services.</summary>
public static class WebServiceRegistration
{
    public static IServiceCollection AddLynqWeb(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AppUptime>();
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
        });
        return services;
    }
}

/// <summary>When this process started, from the one clock.</summary>
public sealed class AppUptime(TimeProvider clock)
{
    private readonly DateTimeOffset _started = clock.GetUtcNow();

    public double Seconds => Math.Round((clock.GetUtcNow() - _started).TotalSeconds, 1);
}
