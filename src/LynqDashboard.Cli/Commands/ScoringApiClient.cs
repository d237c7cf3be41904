using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LynqDashboard.Core;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Monitoring;

namespace LynqDashboard.Cli.Commands;

/// <summary>One scored batch item: its index in the batch and the answer's action and PD (null when the item was refused).</summary>
internal readonly record struct ScoredItem(int Index, string? Action, double DefaultProbability);

/// <summary>
/// The scoring API as `lynq simulate` calls it, over one HttpClient: batches to /api/ml/credit-score/batch and outcomes to
/// /api/ml/outcomes. Every failure a person must act on (unreachable, 401, 422, another refusal) becomes a
/// <see cref="LynqException"/> whose message is the one line the command prints.
/// </summary>
internal sealed class ScoringApiClient(HttpClient http) : IDisposable
{
    public const string BatchPath = "/api/ml/credit-score/batch";
    public const string OutcomesPath = "/api/ml/outcomes";
    private const string RequestIdHeader = "X-Request-ID";

    public static ScoringApiClient Create(Uri url, string apiKey)
    {
        var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add("X-API-KEY", apiKey);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return new ScoringApiClient(http);
    }

    /// <summary>Scores one batch under <paramref name="requestId"/>; the items come back in the order sent.</summary>
    public async Task<IReadOnlyList<ScoredItem>> ScoreBatchAsync(string requestId, IReadOnlyList<SimulatedApplication> batch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, BatchPath) { Content = Json(writer => WriteBatch(writer, batch)) };
        request.Headers.Add(RequestIdHeader, requestId);
        using var document = await SendAsync(request, $"batch {requestId}", cancellationToken).ConfigureAwait(false);
        var items = new List<ScoredItem>(batch.Count);
        foreach (var item in document.RootElement.GetProperty("results").EnumerateArray())
        {
            var index = item.GetProperty("index").GetInt32();
            items.Add(item.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object
                ? new ScoredItem(index, result.GetProperty("recommended_action").GetString(), result.GetProperty("default_probability").GetDouble())
                : new ScoredItem(index, null, 0));
        }

        return items;
    }

    /// <summary>Posts outcomes (at most 10,000) and returns each one's verdict, in the order sent.</summary>
    public async Task<IReadOnlyList<(string RequestId, OutcomeVerdict Verdict)>> PostOutcomesAsync(
        IReadOnlyList<(string RequestId, bool Defaulted)> outcomes, DateTimeOffset observedAt, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, OutcomesPath) { Content = Json(writer => WriteOutcomes(writer, outcomes, observedAt)) };
        using var document = await SendAsync(request, "the outcomes", cancellationToken).ConfigureAwait(false);
        var verdicts = new List<(string, OutcomeVerdict)>(outcomes.Count);
        foreach (var item in ItemsOf(document.RootElement))
        {
            var id = item.TryGetProperty("request_id", out var value) ? value.GetString() ?? string.Empty : string.Empty;
            verdicts.Add((id, VerdictOf(item)));
        }

        return verdicts;
    }

    public void Dispose() => http.Dispose();

    private async Task<JsonDocument> SendAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw LynqException.Unavailable($"cannot reach {http.BaseAddress}: {e.Message}", innerException: e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw LynqException.Unavailable($"{http.BaseAddress} did not answer {what} within {http.Timeout.TotalSeconds:N0} s", innerException: e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return JsonDocument.Parse(body);
            }

            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => LynqException.Forbidden($"{http.BaseAddress} refused the API key (401): check --api-key"),
                // What the simulator sent, not the command line, broke a rule: exit 1 like every other refusal.
                HttpStatusCode.UnprocessableEntity => LynqException.Conflict($"{http.BaseAddress} refused {what} (422): {Explain(body)}"),
                _ => LynqException.Unavailable($"{http.BaseAddress} answered {what} with {(int)response.StatusCode} {response.ReasonPhrase}: {Explain(body)}"),
            };
        }
    }

    // The outcomes answer's items: {"results": [{"index", "request_id", "status", "message"}, …]} (docs/scoring-api.md).
    private static IEnumerable<JsonElement> ItemsOf(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("results", out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray()
            : throw LynqException.Unavailable("the outcomes answer holds no results array");

    private static OutcomeVerdict VerdictOf(JsonElement item) =>
        item.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String && OutcomeVerdictNames.TryParse(status.GetString(), out var verdict)
            ? verdict
            : OutcomeVerdict.Invalid;

    // The problem details' detail and field errors on one line.
    private static string Explain(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var text = new StringBuilder(root.TryGetProperty("detail", out var detail) ? detail.GetString()
                : root.TryGetProperty("title", out var title) ? title.GetString() : "no detail");
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in errors.EnumerateObject())
                {
                    text.Append($"; {field.Name}: {string.Join(", ", field.Value.EnumerateArray().Select(m => m.GetString()))}");
                }
            }

            return text.ToString();
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body.Length == 0 ? "no detail" : body;
        }
    }

    private static ByteArrayContent Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static void WriteBatch(Utf8JsonWriter writer, IReadOnlyList<SimulatedApplication> batch)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(LoanBatchJson.ApplicationsField);
        foreach (var simulated in batch)
        {
            var application = simulated.Application;
            writer.WriteStartObject();
            writer.WriteString(LoanApplicationJson.WalletAddressField, application.WalletAddress);
            foreach (var spec in LoanFeatures.Supplied)
            {
                if (spec.IsInteger)
                {
                    writer.WriteNumber(spec.Name, (long)application.Get(spec));
                }
                else
                {
                    writer.WriteNumber(spec.Name, application.Get(spec));
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteOutcomes(Utf8JsonWriter writer, IReadOnlyList<(string RequestId, bool Defaulted)> outcomes, DateTimeOffset observedAt)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("outcomes");
        foreach (var (requestId, defaulted) in outcomes)
        {
            writer.WriteStartObject();
            writer.WriteString("request_id", requestId);
            writer.WriteBoolean("defaulted", defaulted);
            writer.WriteString("observed_at", observedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
