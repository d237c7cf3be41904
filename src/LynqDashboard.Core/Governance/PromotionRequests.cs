using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;

namespace LynqDashboard.Core.Governance;

/// <summary>Whether production needs a second person (Lynq:Governance:RequireSecondApprover, default true).</summary>
/// <param name="RequireSecondApprover">
/// True: the approver must be neither the requester nor the person who trained the version. False (a one-person team):
/// anyone with the Approver role may approve, and each such approval's audit line says the rule was off.
/// </param>
public sealed record FourEyesRule(bool RequireSecondApprover = true);

/// <summary>
/// The one way to production (maker–checker): a Trainer asks with a comment, the gates and the champion–challenger
/// comparison are computed and kept on the request, and a different Approver approves or rejects it with a comment.
/// Only an approval queues the promotion (the registry's designation and, when a bucket is configured, S3). Every
/// step goes to the audit log, and the version's documentation pack is rewritten with it.
/// </summary>
public sealed class PromotionRequests(
    IModelRegistry registry,
    IPromotionRequestRegistry requests,
    PromotionCommands promotions,
    PromotionReviewer reviewer,
    IAuditLog audit,
    IModelReports reports,
    FourEyesRule rule,
    TimeProvider clock)
{
    /// <summary>Shortest written reason accepted for a failed gate a reason may override (leakage, monotonicity).</summary>
    public const int MinReasonLength = PromotionCommands.MinLeakageReasonLength;

    /// <summary>Longest comment or reason kept.</summary>
    public const int MaxCommentLength = 2000;

    public const string Requested = "approval.requested";
    public const string Approved = "approval.granted";
    public const string Rejected = "approval.rejected";
    public const string Withdrawn = "approval.withdrawn";
    public const string Refused = "approval.refused";

    public FourEyesRule Rule => rule;

    /// <summary>The gates and the comparison for <paramref name="versionNumber"/> as a request would record them now.</summary>
    public async Task<PromotionReview> PreviewAsync(int versionNumber, CancellationToken cancellationToken = default)
    {
        var version = await UsableVersionAsync(versionNumber, cancellationToken).ConfigureAwait(false);
        return await reviewer.ReviewAsync(version, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks for <paramref name="versionNumber"/> to go to production; refused while a gate that no reason overrides fails.</summary>
    /// <param name="versionNumber">The version (v{n}).</param>
    /// <param name="actor">Who asks (Trainer or above; the caller checked the role).</param>
    /// <param name="comment">Why this version should serve; required.</param>
    /// <param name="leakageReason">Required when the leakage check flagged the version.</param>
    /// <param name="monotonicityReason">Required when the PD moves against a declared direction too often.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<PromotionRequestRecord> RequestAsync(
        int versionNumber, string actor, string? comment, string? leakageReason = null, string? monotonicityReason = null, CancellationToken cancellationToken = default)
    {
        var by = Actor(actor);
        var text = Text("comment", comment, required: true, minLength: 1)!;
        var version = await UsableVersionAsync(versionNumber, cancellationToken).ConfigureAwait(false);
        if (version.Status == VersionStatus.Production)
        {
            throw LynqException.Conflict($"{version.Label} is already in production.");
        }

        var review = await reviewer.ReviewAsync(version, cancellationToken).ConfigureAwait(false);
        if (review.Blocked)
        {
            var failed = string.Join("; ", review.Checks.Where(c => !c.Passed && !c.Overridable).Select(c => $"{c.Name}: {c.Detail}"));
            await AppendAsync(by, Refused, version.Label, failed, cancellationToken).ConfigureAwait(false);
            throw LynqException.Conflict($"{version.Label} cannot be put forward for production: {failed}");
        }

        var needs = review.NeedsReason;
        var leakage = needs.Contains(ReviewCheckNames.Leakage) ? Text("leakage_reason", leakageReason, required: true, MinReasonLength, $"{version.Label} is flagged for target leakage ({version.LeakageSuspects.Replace(",", ", ", StringComparison.Ordinal)}); write why it should go to production anyway") : null;
        var monotonicity = needs.Contains(ReviewCheckNames.Monotonicity) ? Text("monotonicity_reason", monotonicityReason, required: true, MinReasonLength, $"{version.Label}'s PD moves against a declared direction too often ({review.Checks.First(c => c.Name == ReviewCheckNames.Monotonicity).Detail}); write why it should serve anyway") : null;

        var request = await requests.AddRequestAsync(new PromotionRequestRecord
        {
            VersionId = version.Id,
            VersionNumber = version.Number,
            ProductionNumber = review.ProductionNumber,
            RequestedBy = by,
            RequestedAt = clock.GetUtcNow(),
            Comment = text,
            TrainedBy = version.TrainedBy,
            LeakageReason = leakage,
            MonotonicityReason = monotonicity,
            Review = review,
            SecondApproverRequired = rule.RequireSecondApprover,
        }, cancellationToken).ConfigureAwait(false);
        await AppendAsync(by, Requested, version.Label, Describe(request), cancellationToken).ConfigureAwait(false);
        await RewriteReportAsync(version.Id).ConfigureAwait(false);
        return request;
    }

    /// <summary>
    /// Approves a pending request and queues its promotion. With the four-eyes rule on, the approver may be neither the
    /// requester nor the version's trainer; an approval is refused once production changed since the request was made.
    /// </summary>
    public async Task<(PromotionRequestRecord Request, PromotionRecord Promotion)> ApproveAsync(Guid requestId, string actor, string? comment, CancellationToken cancellationToken = default)
    {
        var by = Actor(actor);
        var text = Text("comment", comment, required: true, minLength: 1)!;
        var request = await PendingAsync(requestId, cancellationToken).ConfigureAwait(false);
        if (FourEyesRefusal(request, by) is var (audited, message))
        {
            await AppendAsync(by, Refused, $"v{request.VersionNumber}", audited, cancellationToken).ConfigureAwait(false);
            throw LynqException.Forbidden(message);
        }

        var production = await ProductionNumberAsync(cancellationToken).ConfigureAwait(false);
        if (production != request.ProductionNumber)
        {
            throw LynqException.Conflict($"Production changed since this request was made ({Named(request.ProductionNumber)} then, {Named(production)} now), so its comparison is out of date. Reject it and ask again.");
        }

        var now = clock.GetUtcNow();
        if (!await requests.DecidePendingAsync(requestId, r =>
            {
                (r.Status, r.DecidedBy, r.DecidedAt, r.DecisionComment) = (PromotionRequestStatus.Approved, by, now, text);
                r.SecondApproverRequired = rule.RequireSecondApprover;
            }, cancellationToken).ConfigureAwait(false))
        {
            throw LynqException.Conflict($"The request to promote v{request.VersionNumber} was decided or withdrawn a moment ago; reload to see how.");
        }

        // The pack is rewritten with the decision before the promotion reads it: an S3 promotion uploads the report
        // whose SHA-256 the registry holds, and a rewrite during its upload would fail the read-back.
        await RewriteReportAsync(request.VersionId).ConfigureAwait(false);
        PromotionRecord promotion;
        try
        {
            promotion = await promotions.PromoteAsync(request.VersionNumber, by, request.LeakageReason, request.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (LynqException)
        {
            // Nothing was queued (another promotion is running, the version went away): the request waits again.
            await requests.UpdateRequestAsync(requestId, r => (r.Status, r.DecidedBy, r.DecidedAt, r.DecisionComment) = (PromotionRequestStatus.Pending, null, null, null), CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var approved = await requests.UpdateRequestAsync(requestId, r => r.PromotionId = promotion.Id, CancellationToken.None).ConfigureAwait(false) ?? request;
        var four = rule.RequireSecondApprover
            ? $"second person (requested by {request.RequestedBy})"
            : "second approver not required (Lynq:Governance:RequireSecondApprover=false)";
        await AppendAsync(by, Approved, $"v{request.VersionNumber}", $"{four}; {text}; {promotion.Label} to {promotion.Where} queued", CancellationToken.None).ConfigureAwait(false);
        return (approved, promotion);
    }

    /// <summary>
    /// Carries out the newest approved request of <paramref name="versionNumber"/> whose promotion has not succeeded (the
    /// command line, when the dashboard's run of it failed or never ran): the approval stands, nobody approves again.
    /// </summary>
    public async Task<PromotionRecord> CarryOutAsync(int versionNumber, string actor, IPromotionRegistry runs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var version = await UsableVersionAsync(versionNumber, cancellationToken).ConfigureAwait(false);
        var approved = await requests.ListRequestsAsync(version.Id, PromotionRequestStatus.Approved, 1, cancellationToken).ConfigureAwait(false) is [var newest, ..] ? newest
            : throw LynqException.Conflict($"v{versionNumber} has no approved promotion request. With the four-eyes rule on (Lynq:Governance:RequireSecondApprover), a Trainer asks on the dashboard's Promotions page (or POST /api/dashboard/versions/{versionNumber}/promotion-requests) and a different Approver approves it; the approval runs the promotion.");
        var last = approved.PromotionId is { } id ? await runs.GetPromotionAsync(id, cancellationToken).ConfigureAwait(false) : null;
        return last switch
        {
            { Status: PromotionStatus.Succeeded } => throw LynqException.Conflict($"v{versionNumber}'s approved promotion (approved by {approved.DecidedBy}) already succeeded; nothing to carry out."),
            { Status: PromotionStatus.Queued or PromotionStatus.Running } => throw LynqException.Conflict($"v{versionNumber}'s approved promotion is still {last.Status.ToString().ToLowerInvariant()} in the dashboard."),
            _ => await RecordAsync(await promotions.PromoteAsync(versionNumber, Actor(actor), approved.LeakageReason, approved.Id, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false),
        };

        // The request names the promotion that carries it out now, so the next look finds this one, not the failed one.
        async Task<PromotionRecord> RecordAsync(PromotionRecord promotion)
        {
            await requests.UpdateRequestAsync(approved.Id, r => r.PromotionId = promotion.Id, CancellationToken.None).ConfigureAwait(false);
            return promotion;
        }
    }

    /// <summary>Rejects a pending request with a comment; the requester withdraws instead when the four-eyes rule is on.</summary>
    public async Task<PromotionRequestRecord> RejectAsync(Guid requestId, string actor, string? comment, CancellationToken cancellationToken = default)
    {
        var by = Actor(actor);
        var text = Text("comment", comment, required: true, minLength: 1)!;
        var request = await PendingAsync(requestId, cancellationToken).ConfigureAwait(false);
        if (rule.RequireSecondApprover && Same(by, request.RequestedBy))
        {
            throw LynqException.Forbidden($"You asked for this promotion of v{request.VersionNumber}; withdraw it instead, or let a different Approver reject it.");
        }

        return await DecideAsync(request, PromotionRequestStatus.Rejected, by, text, Rejected, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Withdraws a pending request: only the person who asked for it.</summary>
    public async Task<PromotionRequestRecord> WithdrawAsync(Guid requestId, string actor, string? comment, CancellationToken cancellationToken = default)
    {
        var by = Actor(actor);
        var text = Text("comment", comment, required: false, minLength: 0) ?? string.Empty;
        var request = await PendingAsync(requestId, cancellationToken).ConfigureAwait(false);
        if (!Same(by, request.RequestedBy))
        {
            throw LynqException.Forbidden($"Only {request.RequestedBy}, who asked for it, may withdraw this request; an Approver may reject it.");
        }

        return await DecideAsync(request, PromotionRequestStatus.Withdrawn, by, text, Withdrawn, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Newest first; only this version or status when given.</summary>
    public Task<IReadOnlyList<PromotionRequestRecord>> ListAsync(Guid? versionId = null, PromotionRequestStatus? status = null, int take = 100, CancellationToken cancellationToken = default) =>
        requests.ListRequestsAsync(versionId, status, take, cancellationToken);

    public Task<PromotionRequestRecord?> GetAsync(Guid id, CancellationToken cancellationToken = default) => requests.GetRequestAsync(id, cancellationToken);

    /// <summary>True when <paramref name="actor"/> may approve <paramref name="request"/> under the rule (roles aside).</summary>
    public bool MayApprove(PromotionRequestRecord request, string actor)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Status == PromotionRequestStatus.Pending && FourEyesRefusal(request, actor) is null;
    }

    // Why the four-eyes rule refuses actor as this request's approver (for the audit log, for the person); null when it does not.
    private (string Audited, string Message)? FourEyesRefusal(PromotionRequestRecord request, string actor) => rule.RequireSecondApprover switch
    {
        true when Same(actor, request.RequestedBy) =>
            ("the requester tried to approve their own request", $"You asked for this promotion of v{request.VersionNumber}; a different Approver must approve it (four eyes)."),
        true when request.TrainedBy is { } trainer && Same(actor, trainer) =>
            ("the version's trainer tried to approve it", $"You trained v{request.VersionNumber}; a different Approver must approve it (four eyes)."),
        _ => null,
    };

    private async Task<PromotionRequestRecord> DecideAsync(PromotionRequestRecord request, PromotionRequestStatus status, string by, string text, string action, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!await requests.DecidePendingAsync(request.Id, r => (r.Status, r.DecidedBy, r.DecidedAt, r.DecisionComment) = (status, by, now, text), cancellationToken).ConfigureAwait(false))
        {
            throw LynqException.Conflict($"The request to promote v{request.VersionNumber} was decided or withdrawn a moment ago; reload to see how.");
        }

        await AppendAsync(by, action, $"v{request.VersionNumber}", text.Length == 0 ? "no comment" : text, CancellationToken.None).ConfigureAwait(false);
        await RewriteReportAsync(request.VersionId).ConfigureAwait(false);
        return (await requests.GetRequestAsync(request.Id, CancellationToken.None).ConfigureAwait(false))!;
    }

    private async Task<PromotionRequestRecord> PendingAsync(Guid id, CancellationToken cancellationToken)
    {
        var request = await requests.GetRequestAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw LynqException.NotFound("That promotion request is not on record.", "request");
        return request.Status == PromotionRequestStatus.Pending
            ? request
            : throw LynqException.Conflict($"The request to promote v{request.VersionNumber} is already {request.Status.ToString().ToLowerInvariant()}{(request.DecidedBy is { } who ? $" (by {who})" : string.Empty)}.");
    }

    private async Task<ModelVersionRecord> UsableVersionAsync(int number, CancellationToken cancellationToken)
    {
        var version = await registry.GetVersionByNumberAsync(number, cancellationToken).ConfigureAwait(false)
            ?? throw LynqException.NotFound($"There is no v{number}.", "version");
        return version.Status.IsUsable() && version.ArtifactDirectory is not null
            ? version
            : throw LynqException.Conflict($"{version.Label} is {version.Status.ToString().ToLowerInvariant()}; only a trained (Ready) version can go to production.");
    }

    private async Task<int?> ProductionNumberAsync(CancellationToken cancellationToken) =>
        (await registry.QueryVersionsAsync(new VersionQuery(Status: VersionStatus.Production, Take: 1), cancellationToken).ConfigureAwait(false)).Items is [var first, ..] ? first.Number : null;

    // The report is a document about the decision, not part of it: a failure to rewrite it never undoes one.
    private async Task RewriteReportAsync(Guid versionId)
    {
        try
        {
            await reports.WriteAsync(versionId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or InvalidDataException or UnauthorizedAccessException or Storage.ObjectStoreException)
        {
            await AppendAsync("system", "report.failed", "documentation pack", e.Message, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private Task AppendAsync(string actor, string action, string subject, string detail, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEvent { At = clock.GetUtcNow(), Actor = actor, Action = action, Subject = subject, Detail = detail }, cancellationToken);

    private static string Describe(PromotionRequestRecord r)
    {
        var parts = new List<string> { r.Comment, $"production then: {Named(r.ProductionNumber)}" };
        if (r.Review.Comparison?.Sets is [var first, ..])
        {
            parts.Add($"AUC {first.Candidate.RocAuc:0.0000} vs {first.Production.RocAuc:0.0000} on {first.Name}");
        }

        if (r.LeakageReason is { } leakage)
        {
            parts.Add($"leakage accepted because: {leakage}");
        }

        if (r.MonotonicityReason is { } monotonicity)
        {
            parts.Add($"monotonicity accepted because: {monotonicity}");
        }

        return string.Join("; ", parts);
    }

    private static string Named(int? number) => number is { } n ? $"v{n}" : "nothing";

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    private static string Actor(string actor) => string.IsNullOrWhiteSpace(actor) ? "unknown" : actor.Trim();

    private static string? Text(string field, string? value, bool required, int minLength, string? why = null)
    {
        var text = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        if (text is null && !required)
        {
            return null;
        }

        if (text is null || text.Length < minLength)
        {
            throw LynqException.Invalid(field, why is null
                ? $"'{field}' is required: say why, in words the reviewer and the audit log can read."
                : $"{why} (at least {minLength} characters, in '{field}').");
        }

        return text.Length > MaxCommentLength
            ? throw LynqException.Invalid(field, $"'{field}' is {text.Length:N0} characters; at most {MaxCommentLength:N0} are kept.")
            : text;
    }
}
