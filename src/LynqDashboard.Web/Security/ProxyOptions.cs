using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Security;

/// <summary>
/// The "Lynq:Proxy" section: the reverse proxies (a TLS-terminating load balancer, an ingress) whose
/// X-Forwarded-For and X-Forwarded-Proto headers are believed. Only requests arriving from these addresses may say
/// who the client is and that it used https; from anywhere else the headers are ignored. Empty (the default)
/// trusts no proxy.
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "Lynq:Proxy";

    /// <summary>Proxy addresses, e.g. "10.0.0.5" (LYNQ_KNOWN_PROXIES, comma-separated).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR form, e.g. "10.0.0.0/24" (LYNQ_KNOWN_NETWORKS, comma-separated).</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool TrustsAnyProxy => Proxies().Any() || Networks().Any();

    /// <summary>Every configured address; an entry may hold several, comma-separated (the environment alias does).</summary>
    public IEnumerable<string> Proxies() => Split(KnownProxies);

    public IEnumerable<string> Networks() => Split(KnownNetworks);

    /// <summary>Applies the trusted proxies to the forwarded-headers middleware (which trusts loopback by default: cleared).</summary>
    public void ApplyTo(ForwardedHeadersOptions forwarded)
    {
        ArgumentNullException.ThrowIfNull(forwarded);
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();

        // Walk X-Forwarded-For from the right through every trusted hop, stopping at the first address not configured here.
        forwarded.ForwardLimit = null;
        foreach (var proxy in Proxies())
        {
            forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        foreach (var network in Networks())
        {
            forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
    }

    private static IEnumerable<string> Split(IEnumerable<string> entries) =>
        entries.SelectMany(e => (e ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>Start-up validation of the proxy section; each message names the key and the bad entry.</summary>
public sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        failures.AddRange(options.Proxies().Where(p => !IPAddress.TryParse(p, out _))
            .Select(p => $"LYNQ_KNOWN_PROXIES (or {ProxyOptions.Section}:KnownProxies) holds '{p}', which is not an IP address (e.g. 10.0.0.5)."));
        failures.AddRange(options.Networks().Where(n => !System.Net.IPNetwork.TryParse(n, out _))
            .Select(n => $"LYNQ_KNOWN_NETWORKS (or {ProxyOptions.Section}:KnownNetworks) holds '{n}', which is not a network in CIDR form (e.g. 10.0.0.0/24)."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Registers and applies the trusted proxies; every process role uses it, since every role answers HTTP.</summary>
public static class ForwardedHeadersSetup
{
    public static IServiceCollection AddLynqProxy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProxyOptions>().Bind(configuration.GetSection(ProxyOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxy) => proxy.Value.ApplyTo(forwarded));
        return services;
    }

    /// <summary>First in the pipeline, so the client address (throttling, audit) and the scheme (Secure cookies, HSTS) are the real ones.</summary>
    public static IApplicationBuilder UseLynqForwardedHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.ApplicationServices.GetRequiredService<IOptions<ProxyOptions>>().Value.TrustsAnyProxy ? app.UseForwardedHeaders() : app;
    }
}
