using LynqDashboard.Core.Monitoring;
using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using LynqDashboard.Core.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LynqDashboard.Cli.Tests;

/// <summary>
/// A real Kestrel listener that speaks the two contracts `lynq simulate` uses (the batch scoring API and the outcomes
/// API) and records what it was sent. Its ledger learns a batch's ids ("{X-Request-ID}-{index}") a moment late: an id is
/// answered "unknown_request" the first <see cref="LedgerLag"/> times it is asked about, as a buffered ledger would.
/// </summary>
internal sealed class ScoringApiListener : IAsyncDisposable
{
    public const string Key = "sim-key";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _asked = new(StringComparer.Ordinal);

    private ScoringApiListener(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Each batch's X-Request-ID and its applications, in arrival order.</summary>
    public ConcurrentQueue<(string RequestId, IReadOnlyList<LoanApplication> Applications)> Batches { get; } = new();

    /// <summary>Ids the ledger holds (every scored item's).</summary>
    public ConcurrentDictionary<string, bool> Ledger { get; } = new(StringComparer.Ordinal);

    /// <summary>Outcomes stored, by request id.</summary>
    public ConcurrentDictionary<string, bool> Outcomes { get; } = new(StringComparer.Ordinal);

    public int OutcomePosts => _outcomePosts;

    public int LedgerLag { get; set; }

    /// <summary>Which ids the ledger never learns (dropped, say).</summary>
    public Func<string, bool> IsLost { get; set; } = _ => false;

    /// <summary>Answer every batch with this status and a problem body instead of scoring it.</summary>
    public HttpStatusCode? RefuseBatchesWith { get; set; }

    private int _outcomePosts;

    public static async Task<ScoringApiListener> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var listener = new ScoringApiListener(app);
        app.MapPost("/api/ml/credit-score/batch", (Delegate)listener.ScoreBatchAsync);
        app.MapPost("/api/ml/outcomes", (Delegate)listener.RecordOutcomesAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        listener.Url = new Uri(address);
        return listener;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IResult> ScoreBatchAsync(HttpContext context)
    {
        if (context.Request.Headers["X-API-KEY"] != Key)
        {
            return Results.Problem(statusCode: 401, title: "Missing or wrong API key.");
        }

        if (RefuseBatchesWith is { } status)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["applications[0].loan_amount"] = ["must be above 0"] }, statusCode: (int)status, detail: "The batch has invalid fields.");
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        if (!LoanBatchJson.TryParse(body.ToArray(), 10_000, out var entries, out var errors))
        {
            return Results.ValidationProblem(errors, statusCode: 422);
        }

        var requestId = context.Request.Headers["X-Request-ID"].ToString();
        var applications = entries.Select(e => e.Application!).ToList();
        Batches.Enqueue((requestId, applications));
        var results = applications.Select((application, i) =>
        {
            Ledger[$"{requestId}-{i}"] = true;
            // A stand-in model: younger wallets, higher PD.
            var pd = Math.Clamp(1.0 / (1.0 + (application.WalletAgeDays / 100.0)), 0.01, 0.99);
            return new { index = i, result = new { default_probability = pd, recommended_action = pd > 0.5 ? "REJECT" : "APPROVE" } };
        });
        return Results.Json(new { results, scored = applications.Count, rejected = 0 });
    }

    private async Task<IResult> RecordOutcomesAsync(HttpContext context)
    {
        if (context.Request.Headers["X-API-KEY"] != Key)
        {
            return Results.Problem(statusCode: 401, title: "Missing or wrong API key.");
        }

        Interlocked.Increment(ref _outcomePosts);
        using var document = await JsonDocument.ParseAsync(context.Request.Body);
        var results = new List<object>();
        var index = 0;
        foreach (var item in document.RootElement.GetProperty("outcomes").EnumerateArray())
        {
            var id = item.GetProperty("request_id").GetString()!;
            var defaulted = item.GetProperty("defaulted").GetBoolean();
            _ = DateTimeOffset.Parse(item.GetProperty("observed_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            var asked = _asked.AddOrUpdate(id, 1, (_, n) => n + 1);
            var verdict = !Ledger.ContainsKey(id) || IsLost(id) || asked <= LedgerLag ? OutcomeVerdict.UnknownRequest
                : Outcomes.TryAdd(id, defaulted) ? OutcomeVerdict.Recorded
                : Outcomes[id] == defaulted ? OutcomeVerdict.AlreadyRecorded : OutcomeVerdict.Conflict;
            results.Add(new { index = index++, request_id = id, status = OutcomeVerdictNames.Of(verdict), message = verdict.ToString() });
        }

        return Results.Json(new { results });
    }
}
