using System.Globalization;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Web.Model;
using Microsoft.AspNetCore.Components;

namespace LynqDashboard.Web.Components.Pages;

/// <summary>
/// The decision ledger: every recorded answer, newest first, filtered by version, action, channel and day, a page at a
/// time, with each decision's outcome once reported; the same filter exports as a streamed CSV.
/// </summary>
public sealed partial class Decisions : DashboardPage
{
    private const int PageSize = 50;
    private DecisionPage? _page;
    private DecisionQuery _query = new(Take: PageSize);
    private int _skip;
    private string? _version;
    private string? _action;
    private string? _channel;
    private DateTime? _from;
    private DateTime? _to;
    private string? _problem;

    [Inject] private IDecisionStore Store { get; set; } = null!;

    private string ExportUrl => DecisionLinks.CsvUrl(_query);

    protected override async Task OnInitializedAsync()
    {
        await ReadAccessAsync();
        await LoadAsync(Closing);
    }

    protected override async Task LoadAsync(CancellationToken cancellationToken) =>
        _page = await Store.QueryAsync(_query with { Skip = _skip }, cancellationToken);

    private async Task ApplyAsync()
    {
        if (!DecisionQuery.TryReadVersion(_version, out var number, out var fallbackOnly, out _problem))
        {
            return;
        }

        _query = new DecisionQuery(
            Take: PageSize,
            ModelNumber: number,
            FallbackOnly: fallbackOnly,
            Action: _action,
            From: _from is { } from ? new DateTimeOffset(DateTime.SpecifyKind(from.Date, DateTimeKind.Utc)) : null,
            To: _to is { } to ? new DateTimeOffset(DateTime.SpecifyKind(to.Date.AddDays(1), DateTimeKind.Utc)) : null,
            Channel: _channel);
        _skip = 0;
        await LoadAsync(Closing);
    }

    // A long id (a UUID and a batch index) shown as its start and end; the whole id is its tooltip and in the CSV.
    private static string ShortId(string id) => id.Length <= 20 ? id : $"{id[..8]}…{id[^8..]}";

    private async Task PageAsync(int direction)
    {
        _skip = Math.Max(0, _skip + (direction * PageSize));
        await LoadAsync(Closing);
    }
}
