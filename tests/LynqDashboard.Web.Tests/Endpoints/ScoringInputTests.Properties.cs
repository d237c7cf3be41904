using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CsCheck;
using LynqDashboard.Core.Data;
using LynqDashboard.Web.Tests.Shared;

namespace LynqDashboard.Web.Tests.Endpoints;

/// <summary>
/// Scoring input through the real HTTP pipeline. Here, property tests of the three scoring endpoints through the real HTTP pipeline (Kestrel on 127.0.0.1, API key
/// filter, rate limiter, a trained model serving): for ten thousand generated bodies each, no answer is a 5xx,
/// every refusal other than 401/413/429 is problem details whose errors name a field (for CSV, a line and a
/// column), and what the generator knows to be valid is scored with a PD in [0, 1].
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed partial class ScoringInputTests(KestrelScoringFixture fixture, ITestOutputHelper output) : IClassFixture<KestrelScoringFixture>
{
    private const int Cases = 10_000;

    private const int Threads = 4;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Single_GeneratedBodies_NeverAnswer5xx_AndEveryRefusalNamesAField()
    {
        var histogram = new Histogram();

        await JsonBodies.Single.SampleAsync(async body =>
        {
            var (status, text) = await PostAsync("/api/ml/credit-score", body.Bytes, "application/json");
            histogram.Add(status, body.Kind);
            Assert.True(status < 500, $"{status}: {text}");
            if (body.Valid is { } valid)
            {
                Assert.True(valid == (status == 200), $"expected {(valid ? "200" : "a refusal")}, got {status}: {text}");
            }

            if (status == 200)
            {
                AssertScored(JsonDocument.Parse(text).RootElement);
            }
            else if (IsNamedRefusal(status))
            {
                AssertNamesFields(text, [.. JsonBodies.KnownFields, .. body.Keys]);
            }
        }, iter: Cases, threads: Threads, print: b => b.ToString());

        histogram.WriteTo(output, "POST /api/ml/credit-score");
    }

    [Fact]
    public async Task Batch_GeneratedBodies_NeverAnswer5xx_AndReportEveryBadItemByIndexAndField()
    {
        var histogram = new Histogram();

        await JsonBodies.Batch.SampleAsync(async batch =>
        {
            var (status, text) = await PostAsync(batch.Explain ? "/api/ml/credit-score/batch" : "/api/ml/credit-score/batch?explain=false", batch.Bytes, "application/json");
            histogram.Add(status, batch.Kind);
            Assert.True(status < 500, $"{status}: {text}");
            if (batch.Shaped is { } shaped)
            {
                Assert.True(shaped == (status == 200), $"expected {(shaped ? "200" : "a refusal")}, got {status}: {text}");
            }

            if (status == 200)
            {
                using var document = JsonDocument.Parse(text);
                var results = document.RootElement.GetProperty("results").EnumerateArray().ToList();
                var expected = batch.Shaped == true ? batch.ItemValid : null;
                Assert.True(expected is null || expected.Count == results.Count, $"{results.Count} results for {expected?.Count} items");
                for (var i = 0; i < results.Count; i++)
                {
                    Assert.Equal(i, results[i].GetProperty("index").GetInt32());
                    var scored = results[i].TryGetProperty("result", out var result);
                    Assert.True(expected is null || expected[i] == scored, $"item {i}: expected {(expected?[i] == true ? "scored" : "rejected")}: {results[i]}");
                    if (scored)
                    {
                        AssertScored(result);
                    }
                    else
                    {
                        AssertErrorsNameFields(results[i].GetProperty("errors"), [.. JsonBodies.KnownFields, .. batch.Keys]);
                    }
                }

                Assert.Equal(results.Count, document.RootElement.GetProperty("scored").GetInt32() + document.RootElement.GetProperty("rejected").GetInt32());
            }
            else if (IsNamedRefusal(status))
            {
                AssertNamesFields(text, [.. JsonBodies.KnownFields, .. batch.Keys]);
            }
        }, iter: Cases, threads: Threads, print: b => b.ToString());

        histogram.WriteTo(output, "POST /api/ml/credit-score/batch");
    }

    [Fact]
    public async Task Csv_GeneratedFiles_NeverAnswer5xx_AndEveryProblemNamesLineAndColumn()
    {
        var histogram = new Histogram();

        await CsvBodies.File.SampleAsync(async file =>
        {
            using var content = new ByteArrayContent(file.Bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            using var response = await fixture.Client.PostAsync("/api/ml/credit-score/batch.csv", content, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            var status = (int)response.StatusCode;
            histogram.Add(status, file.Kind);
            Assert.True(status < 500, $"{status}: {text}");
            if (file.Usable is { } usable)
            {
                Assert.True(usable == (status == 200), $"expected {(usable ? "200" : "422")}, got {status}: {text}");
            }

            if (status == 200)
            {
                Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
                var (scored, rejected) = AssertScoredCsv(text);
                Assert.Equal(scored.ToString(CultureInfo.InvariantCulture), response.Headers.GetValues("X-Rows-Scored").Single());
                Assert.Equal(rejected.ToString(CultureInfo.InvariantCulture), response.Headers.GetValues("X-Rows-Rejected").Single());
                if (file.Usable == true)
                {
                    Assert.True((file.ValidRows, file.InvalidRows) == (scored, rejected), $"expected {file.ValidRows} scored and {file.InvalidRows} rejected, got {scored} and {rejected}: {text}");
                }
            }
            else if (IsNamedRefusal(status))
            {
                using var problem = JsonDocument.Parse(text);
                var keys = problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
                Assert.NotEmpty(keys);
                Assert.All(keys, key => Assert.Matches(LineAndColumn(), key));
            }
        }, iter: Cases, threads: Threads, print: f => f.ToString());

        histogram.WriteTo(output, "POST /api/ml/credit-score/batch.csv");
    }

    private static bool IsNamedRefusal(int status) => status is >= 400 and < 500 and not 401 and not 413 and not 429;

    private static void AssertScored(JsonElement result)
    {
        Assert.InRange(result.GetProperty("default_probability").GetDouble(), 0, 1);
        Assert.InRange(result.GetProperty("credit_score").GetInt32(), 100, 1000);
    }

    private static void AssertNamesFields(string text, HashSet<string> allowed)
    {
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(422, problem.RootElement.GetProperty("status").GetInt32());
        AssertErrorsNameFields(problem.RootElement.GetProperty("errors"), allowed);
    }

    private static void AssertErrorsNameFields(JsonElement errors, HashSet<string> allowed)
    {
        var fields = errors.EnumerateObject().ToList();
        Assert.NotEmpty(fields);
        foreach (var field in fields)
        {
            Assert.True(allowed.Contains(field.Name), $"'{field.Name}' is not a field of the request: {errors}");
            Assert.All(field.Value.EnumerateArray(), m => Assert.False(string.IsNullOrWhiteSpace(m.GetString())));
        }
    }

    // The scored CSV, read back with the product's own line reader: one row per data line, as wide as the header, PDs in [0, 1], errors said by line.
    private static (int Scored, int Rejected) AssertScoredCsv(string csv)
    {
        var reader = new CsvLineReader(new StringReader(csv), 1 << 20);
        var cells = new List<string>();
        Assert.True(reader.Read(cells, out _));
        Assert.Equal("error", cells[^1]);
        var (width, pd) = (cells.Count, cells.Count - Core.Scoring.ScoredCsv.AnswerColumns.Count); // the caller's columns, then the answer
        Assert.Equal("default_probability", cells[pd]);
        var (scored, rejected) = (0, 0);
        while (reader.Read(cells, out var problem))
        {
            Assert.Null(problem);
            Assert.Equal(width, cells.Count);
            if (cells[^1].Length == 0)
            {
                Assert.InRange(double.Parse(cells[pd], CultureInfo.InvariantCulture), 0, 1);
                scored++;
            }
            else
            {
                Assert.Equal(string.Empty, cells[pd]);
                Assert.StartsWith("line ", cells[^1], StringComparison.Ordinal);
                rejected++;
            }
        }

        return (scored, rejected);
    }

    private async Task<(int Status, string Text)> PostAsync(string path, byte[] body, string contentType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await fixture.Client.PostAsync(path, content, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        if ((int)response.StatusCode is >= 400 and < 500 and not 401 and not 413 and not 429)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        return ((int)response.StatusCode, text);
    }

    [GeneratedRegex(@"^line \d+, column .+$", RegexOptions.Singleline)]
    private static partial Regex LineAndColumn();

    /// <summary>How many cases ran, by status and by the generator's kind of body.</summary>
    private sealed class Histogram
    {
        private readonly ConcurrentDictionary<int, int> _statuses = new();
        private readonly ConcurrentDictionary<string, int> _kinds = new(StringComparer.Ordinal);
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _count;

        public void Add(int status, string kind)
        {
            Interlocked.Increment(ref _count);
            _statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            _kinds.AddOrUpdate($"{status} {kind}", 1, (_, n) => n + 1);
        }

        public void WriteTo(ITestOutputHelper output, string endpoint)
        {
            output.WriteLine($"{endpoint}: {_count:N0} cases in {_clock.Elapsed.TotalSeconds:F1} s; status histogram: "
                             + string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value:N0}")));
            output.WriteLine("  by kind: " + string.Join(", ", _kinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}: {k.Value:N0}")));
        }
    }
}
