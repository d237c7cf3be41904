using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Web.Monitoring;
using LynqDashboard.Web.Scoring;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace LynqDashboard.Web.Components.Controls;

/// <summary>
/// Scores an uploaded CSV with <see cref="ApplicationCsv"/>, the reader the HTTP endpoint uses. A file comes from a
/// person and may be anything (binary, one 10 MB line, not UTF-8): every failure becomes a message in the panel,
/// never an exception in the circuit.
/// </summary>
public sealed partial class BatchScorePanel
{
    private ApplicationUpload? _upload;
    private IReadOnlyList<string> _columns = [];
    private IReadOnlyList<IReadOnlyList<string>> _preview = [];
    private string? _token;
    private string? _problem;
    private bool _busy;
    private double _progress;
    private int _done;
    private int _total;

    /// <summary>The model that scores the file; null means the fallback.</summary>
    [Parameter] public ScoringModel? Model { get; set; }

    /// <summary>The model's registry number, for the decision ledger (null: the fallback or unknown).</summary>
    [Parameter] public int? ModelNumber { get; set; }

    /// <summary>Who scores the file, as the decision ledger names them (the signed-in user).</summary>
    [Parameter] public string Caller { get; set; } = "anonymous";

    /// <summary>Most rows read from one file (default <see cref="ApplicationCsv.DefaultMaxRows"/>).</summary>
    [Parameter] public int MaxRows { get; set; } = ApplicationCsv.DefaultMaxRows;

    /// <summary>How many rows of the scored file the panel shows before the download (default 10).</summary>
    [Parameter] public int PreviewRows { get; set; } = 10;

    [Inject] private CreditScorer Scorer { get; set; } = default!;

    [Inject] private ScoredFiles Files { get; set; } = default!;

    [Inject] private DecisionRecorder Ledger { get; set; } = default!;

    private static async Task CopyAsync(IBrowserFile file, PipeWriter writer, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = file.OpenReadStream(ApplicationCsv.MaxFileBytes, cancellationToken);
            await stream.CopyToAsync(writer.AsStream(leaveOpen: true), cancellationToken);
            await writer.CompleteAsync();
        }
        catch (Exception e)
        {
            await writer.CompleteAsync(e);
            throw;
        }
    }

    private async Task ScoreFileAsync(IBrowserFile? file)
    {
        (_upload, _token, _problem, _columns, _preview) = (null, null, null, [], []);
        if (file is null)
        {
            return;
        }

        if (file.Size > ApplicationCsv.MaxFileBytes)
        {
            _problem = $"{file.Name} is {file.Size / 1048576.0:0.0} MB; the limit is 10 MB. Split it into smaller files.";
            return;
        }

        _busy = true;
        try
        {
            var upload = await ReadAsync(file);
            if (upload.Usable)
            {
                await ScoreAsync(upload);
            }

            _upload = upload;
        }
        catch (OperationCanceledException)
        {
            _problem = $"Reading {file.Name} was stopped; upload it again.";
        }
#pragma warning disable CA1031 // A file from a person must never take the page down: whatever went wrong is said in the panel.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _problem = $"{file.Name} could not be read: {e.Message}";
        }
        finally
        {
            _busy = false;
        }
    }

    // The browser stream reads only asynchronously and the CSV reader synchronously: a pipe joins them, so rows are read
    // as the bytes arrive and the file is never held whole (the 10 MB cap is enforced by the stream).
    private async Task<ApplicationUpload> ReadAsync(IBrowserFile file)
    {
        var pipe = new Pipe();
        using var stop = new CancellationTokenSource();
        var copying = CopyAsync(file, pipe.Writer, stop.Token);
        ApplicationUpload upload;
        try
        {
            upload = await Task.Run(() =>
            {
                using var text = new StreamReader(pipe.Reader.AsStream(), new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true);
                return ApplicationCsv.Read(text, MaxRows);
            });
        }
        finally
        {
            // The reader may stop before the end (the row limit, an unusable header): the rest of the file is not needed.
            await stop.CancelAsync();
        }

        try
        {
            await copying;
        }
        catch (OperationCanceledException)
        {
        }

        return upload;
    }

    private async Task ScoreAsync(ApplicationUpload upload)
    {
        var model = Model;
        var results = new List<CreditScoreResult>(upload.Rows.Count);
        (_total, _done) = (upload.Rows.Count, 0);
        foreach (var chunk in upload.Rows.Chunk(2_000))
        {
            results.AddRange(chunk.Select(row => Scorer.Score(row.Application, model, explain: false)));
            (_done, _progress) = (results.Count, 100.0 * results.Count / Math.Max(1, _total));
            StateHasChanged();
            await Task.Yield();
        }

        Ledger.RecordAll(Guid.NewGuid().ToString("N"), DecisionChannels.PageCsv, Caller, [.. upload.Rows.Select(r => r.Application)], results, model, ModelNumber,
            ApplicationCsvIndexes.Of(upload));

        // The same file the HTTP endpoint answers with: every input row, scored or with its error.
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        ScoredCsv.Write(writer, upload, results);
        _token = Files.Put(Encoding.UTF8.GetBytes(writer.ToString()));
        _columns = ScoredCsv.Columns(upload);
        _preview = [.. ScoredCsv.Rows(upload, results).Take(PreviewRows).Select(ScoredCsv.Cells)];
    }
}
