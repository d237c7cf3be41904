using LynqDashboard.Web.Configuration;
using LynqDashboard.Web.Observability;
using LynqDashboard.Web.Scoring;
using Microsoft.Extensions.Options;

namespace LynqDashboard.Web.Security;

/// <summary>What a presented X-API-KEY came to.</summary>
public enum KeyVerdict
{
    /// <summary>No key was sent.</summary>
    Missing,

    Valid,

    Wrong,

    /// <summary>This address sent too many wrong keys; the key was not looked at.</summary>
    Throttled,
}

/// <summary>
/// Checks X-API-KEY for the scoring API and /health, with wrong keys counted per client address: after
/// Lynq:Scoring:FailedKeyLimit wrong keys within Lynq:Scoring:FailedKeyWindowSeconds the address gets 429 for that
/// long, decided before the key is hashed or compared. Other addresses, and their valid keys, are unaffected.
/// </summary>
public sealed class ApiKeyGuard
{
    /// <summary>Where a valid key's name is left in HttpContext.Items for the decision ledger's caller.</summary>
    public const string KeyNameItem = "lynq.api-key-name";

    private readonly ApiKeyRing _ring;
    private readonly FailureWindow _wrongKeys;
    private readonly LynqMetrics _metrics;

    public ApiKeyGuard(ApiKeyRing ring, IOptions<ScoringOptions> options, TimeProvider clock, LynqMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        var window = TimeSpan.FromSeconds(options.Value.FailedKeyWindowSeconds);
        (_ring, _metrics) = (ring, metrics);
        _wrongKeys = new FailureWindow(options.Value.FailedKeyLimit, window, window, clock);
    }

    /// <summary>How long the caller's address must still wait; null when it may send keys.</summary>
    public TimeSpan? BlockedFor(HttpContext context) => _wrongKeys.BlockedFor(ClientAddress.Of(context));

    /// <param name="context">The request; its X-API-KEY header and client address are read.</param>
    /// <param name="retryAfter">For <see cref="KeyVerdict.Throttled"/>: how long to wait.</param>
    public KeyVerdict Check(HttpContext context, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(context);
        retryAfter = TimeSpan.Zero;
        var address = ClientAddress.Of(context);
        if (_wrongKeys.BlockedFor(address) is { } wait)
        {
            retryAfter = wait;
            _metrics.Throttled("api_key");
            return KeyVerdict.Throttled;
        }

        var presented = context.Request.Headers[ApiKeyRing.Header].ToString();
        if (presented.Length == 0)
        {
            return KeyVerdict.Missing;
        }

        if (_ring.IsValid(presented, out var name))
        {
            context.Items[KeyNameItem] = name;
            return KeyVerdict.Valid;
        }

        _wrongKeys.RecordFailure(address);
        return KeyVerdict.Wrong;
    }

    /// <summary>The 429 answer, with Retry-After in whole seconds.</summary>
    public static IResult TooMany(HttpContext context, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(context);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem($"Too many wrong API keys came from your address; retry after {seconds} s with a valid key in the {ApiKeyRing.Header} header.",
            statusCode: StatusCodes.Status429TooManyRequests, title: "Too many wrong API keys");
    }
}
