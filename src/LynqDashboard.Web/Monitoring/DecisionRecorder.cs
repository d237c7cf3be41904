using LynqDashboard.Core.Challengers;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Web.Security;

namespace LynqDashboard.Web.Monitoring;

/// <summary>
/// What every scoring path calls after it answered: builds the ledger row and hands it to the buffer. No I/O and no
/// lock beyond the channel's, so a request pays microseconds; with the ledger off nothing is even built.
/// </summary>
public sealed class DecisionRecorder(IDecisionLedger ledger, TimeProvider clock)
{
    public bool Enabled => ledger.Enabled;

    /// <summary>The ledger's caller for an API request: "key:" and the name of the key that passed the filter.</summary>
    public static string CallerOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[ApiKeyGuard.KeyNameItem] is string { Length: > 0 } name ? "key:" + name : "key:unknown";
    }

    /// <summary>Records one answer.</summary>
    /// <param name="requestId">What an outcome will be reported against.</param>
    /// <param name="channel">One of <see cref="DecisionChannels"/>.</param>
    /// <param name="caller">The API key ("key:name") or the signed-in user.</param>
    /// <param name="application">What was scored.</param>
    /// <param name="result">The answer.</param>
    /// <param name="model">The model that answered (null: the fallback).</param>
    /// <param name="modelNumber">Its registry number, when known.</param>
    /// <param name="arm">The A/B arm that answered, or null without a split.</param>
    /// <param name="shadow">The shadow version, scored later by the ledger's writer; null without one.</param>
    public void Record(string requestId, string channel, string caller, LoanApplication application, CreditScoreResult result, ScoringModel? model, int? modelNumber,
        string? arm = null, ShadowModel? shadow = null)
    {
        if (ledger.Enabled)
        {
            ledger.Record(DecisionRecord.From(clock.GetUtcNow(), requestId, channel, caller, application, result, model, modelNumber, arm, shadow));
        }
    }

    /// <summary>Records the answers of a batch or a file, item i as "{requestId}-{i}" (skipping items that were not scored).</summary>
    /// <param name="itemIndexes">The index each item is known by, when it is not its position (a CSV's data row among rows that were refused); null: the position.</param>
    /// <param name="routes">Each item's answering model and arm while a split runs; null: <paramref name="model"/> answered every item.</param>
    /// <param name="shadow">The shadow version, scored later by the ledger's writer; null without one.</param>
    public void RecordAll(string requestId, string channel, string caller, IReadOnlyList<LoanApplication?> applications, IReadOnlyList<CreditScoreResult?> results,
        ScoringModel? model, int? modelNumber, IReadOnlyList<int>? itemIndexes = null, IReadOnlyList<ScoringRoute>? routes = null, ShadowModel? shadow = null)
    {
        ArgumentNullException.ThrowIfNull(applications);
        ArgumentNullException.ThrowIfNull(results);
        if (!ledger.Enabled)
        {
            return;
        }

        var at = clock.GetUtcNow();
        for (var i = 0; i < results.Count; i++)
        {
            if (applications[i] is { } application && results[i] is { } result)
            {
                var route = routes?[i] ?? new ScoringRoute(model, modelNumber, null);
                ledger.Record(DecisionRecord.From(at, $"{requestId}-{itemIndexes?[i] ?? i}", channel, caller, application, result, route.Model, route.Number, route.Arm, shadow));
            }
        }
    }
}

/// <summary>Each scored row's 0-based index among a file's data rows, refused ones included: what "{id}-{index}" names.</summary>
public static class ApplicationCsvIndexes
{
    public static int[] Of(ApplicationUpload upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var lines = upload.Rows.Select(r => r.Line).Concat(upload.Rejected.Select(r => r.Line)).Order().ToArray();
        return [.. upload.Rows.Select(r => Array.BinarySearch(lines, r.Line))];
    }
}
