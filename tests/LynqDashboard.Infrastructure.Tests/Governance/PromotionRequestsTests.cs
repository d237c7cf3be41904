using LynqDashboard.Core;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Governance;
using LynqDashboard.Core.Registry;

namespace LynqDashboard.Infrastructure.Tests.Governance;

/// <summary>
/// Four eyes on the real registry with real models: nothing serves until a second person approves, the requester and
/// the trainer cannot approve, a leaky version needs a written reason, a worse challenger is refused, and every step
/// is in the audit log.
/// </summary>
public sealed class PromotionRequestsTests
{
    private const string Trainer = "trainer@lynq.test";
    private const string Approver = "approver@lynq.test";
    private const string SecondApprover = "second.approver@lynq.test";

    [Fact]
    public async Task LocalServing_FollowsOnlyApprovals_ANewerVersionDoesNotReplaceTheApprovedOne()
    {
        await using var bed = await DashboardBed.CreateAsync();
        await bed.TrainAsync(Trainer, seed: 3);
        var v2 = await bed.TrainAsync(Trainer, seed: 4);
        await bed.TrainAsync(Trainer, seed: 5);

        await bed.Source.RefreshAsync();
        Assert.Null(bed.Active.Current.Model); // three Ready versions, none approved: the fallback answers

        var request = await bed.Requests.RequestAsync(v2.Number, Trainer, "best calibration of the three");
        await bed.Source.RefreshAsync();
        Assert.Null(bed.Active.Current.Model); // asked for, not approved

        var (approved, queued) = await bed.Requests.ApproveAsync(request.Id, Approver, "checked the comparison");
        Assert.Equal((PromotionRequestStatus.Approved, Approver, queued.Id), (approved.Status, approved.DecidedBy, approved.PromotionId));
        Assert.True(queued.IsRegistryOnly);
        Assert.Equal(PromotionStatus.Succeeded, (await bed.RunAsync(queued)).Status);
        await bed.Source.RefreshAsync();
        Assert.Equal((2, "production"), (bed.Active.Current.Number, bed.Active.Current.Selection));

        var v4 = await bed.TrainAsync(Trainer, seed: 6);
        await bed.Source.RefreshAsync();
        Assert.Equal(2, bed.Active.Current.Number);
        Assert.Equal(VersionStatus.Ready, (await bed.Registry.GetVersionAsync(v4.Id))!.Status);

        var trail = (await bed.AuditOfAsync("v2")).Select(e => (e.Actor, e.Action)).ToList();
        Assert.Equal([(Trainer, PromotionRequests.Requested), (Approver, "promotion.requested"), (Approver, PromotionRequests.Approved), (Approver, "promotion.succeeded")],
            trail.Where(t => t.Action.StartsWith("approval.", StringComparison.Ordinal) || t.Action.StartsWith("promotion.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Approve_ByTheRequesterOrTheTrainer_IsRefusedAndAudited_ADifferentApproverMayApprove()
    {
        await using var bed = await DashboardBed.CreateAsync();
        var v1 = await bed.TrainAsync(Approver);
        var request = await bed.Requests.RequestAsync(v1.Number, Trainer, "first model");

        var own = await Assert.ThrowsAsync<LynqException>(() => bed.Requests.ApproveAsync(request.Id, Trainer, "looks good"));
        Assert.Equal(ProblemKind.Forbidden, own.Kind);
        Assert.Contains("You asked for this promotion", own.Message, StringComparison.Ordinal);
        var trainer = await Assert.ThrowsAsync<LynqException>(() => bed.Requests.ApproveAsync(request.Id, Approver.ToUpperInvariant(), "looks good"));
        Assert.Contains("You trained v1", trainer.Message, StringComparison.Ordinal);
        Assert.False(bed.Requests.MayApprove(request, Approver));
        Assert.True(bed.Requests.MayApprove(request, SecondApprover));

        var refusals = (await bed.AuditOfAsync("v1")).Where(e => e.Action == PromotionRequests.Refused).Select(e => e.Actor).ToList();
        Assert.Equal([Trainer, Approver.ToUpperInvariant()], refusals);
        Assert.Equal(PromotionRequestStatus.Pending, (await bed.Requests.GetAsync(request.Id))!.Status);

        var (approved, queued) = await bed.Requests.ApproveAsync(request.Id, SecondApprover, "independent check done");
        Assert.Equal(PromotionRequestStatus.Approved, approved.Status);
        Assert.Equal(PromotionStatus.Succeeded, (await bed.RunAsync(queued)).Status);
        var again = await Assert.ThrowsAsync<LynqException>(() => bed.Requests.ApproveAsync(request.Id, SecondApprover, "twice"));
        Assert.Equal(ProblemKind.Conflict, again.Kind);
    }

    [Fact]
    public async Task FourEyesOff_TheRequesterMayApprove_AndTheAuditLineSaysTheRuleWasOff()
    {
        await using var bed = await DashboardBed.CreateAsync(requireSecondApprover: false);
        var v1 = await bed.TrainAsync(Approver);
        var request = await bed.Requests.RequestAsync(v1.Number, Approver, "one-person team");

        var (approved, queued) = await bed.Requests.ApproveAsync(request.Id, Approver, "self-approved");

        Assert.False(approved.SecondApproverRequired);
        Assert.Equal(PromotionStatus.Succeeded, (await bed.RunAsync(queued)).Status);
        var line = (await bed.AuditOfAsync("v1")).Single(e => e.Action == PromotionRequests.Approved);
        Assert.Contains("second approver not required (Lynq:Governance:RequireSecondApprover=false)", line.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LeakyVersion_NeedsAWrittenReason_WhichTheRequestAndTheAuditLogKeep()
    {
        await using var bed = await DashboardBed.CreateAsync();
        var leaky = await bed.TrainAsync(Trainer, labelMode: LabelMode.LynqOriginal);
        Assert.NotEmpty(leaky.LeakageSuspects);

        var missing = await Assert.ThrowsAsync<LynqException>(() => bed.Requests.RequestAsync(leaky.Number, Trainer, "perfect AUC"));
        Assert.Equal((ProblemKind.Invalid, "leakage_reason"), (missing.Kind, missing.Field));
        Assert.Empty(await bed.Requests.ListAsync());

        const string Reason = "Demonstration of the original generator for the risk committee only";
        var request = await bed.Requests.RequestAsync(leaky.Number, Trainer, "perfect AUC", leakageReason: Reason,
            monotonicityReason: "Collateral rises with risk in this recipe; known and documented");
        Assert.Equal(Reason, request.LeakageReason);
        var (_, queued) = await bed.Requests.ApproveAsync(request.Id, Approver, "demo only");
        Assert.Equal(Reason, queued.LeakageReason);
        Assert.Contains(Reason, (await bed.AuditOfAsync($"v{leaky.Number}")).Single(e => e.Action == PromotionRequests.Requested).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorseChallenger_IsRefusedWithBothAucs_AndTheRefusalIsAudited()
    {
        await using var bed = await DashboardBed.CreateAsync();
        var good = await bed.TrainAsync(Trainer, seed: 11, trees: 200, rows: 20_000);
        var first = await bed.Requests.RequestAsync(good.Number, Trainer, "baseline");
        await bed.RunAsync((await bed.Requests.ApproveAsync(first.Id, Approver, "ok")).Promotion);

        var worse = await bed.TrainAsync(Trainer, seed: 12, trees: 2, rows: 3_000);
        var refused = await Assert.ThrowsAsync<LynqException>(() => bed.Requests.RequestAsync(worse.Number, Trainer, "fewer trees, faster"));

        Assert.Equal(ProblemKind.Conflict, refused.Kind);
        Assert.Contains(ReviewCheckNames.AucAgainstProduction, refused.Message, StringComparison.Ordinal);
        Assert.Empty(await bed.Requests.ListAsync(worse.Id));
        Assert.Contains(await bed.AuditOfAsync(worse.Label), e => e.Action == PromotionRequests.Refused);
    }

    [Fact]
    public async Task ApprovalAfterProductionChanged_IsRefused_RejectAndWithdrawAreAudited_AndRollbackNeedsNoSecondPerson()
    {
        await using var bed = await DashboardBed.CreateAsync();
        var v1 = await bed.TrainAsync(Trainer, seed: 3);
        var v2 = await bed.TrainAsync(Trainer, seed: 4);
        var v3 = await bed.TrainAsync(Trainer, seed: 5);
        var stale = await bed.Requests.RequestAsync(v2.Number, Trainer, "v2 please");
        var withdrawn = await bed.Requests.RequestAsync(v3.Number, Trainer, "v3 please");
        var first = await bed.Requests.RequestAsync(v1.Number, Trainer, "v1 first");
        await bed.RunAsync((await bed.Requests.ApproveAsync(first.Id, Approver, "ok")).Promotion);

        var changed = await Assert.ThrowsAsync<LynqException>(() => bed.Requests.ApproveAsync(stale.Id, Approver, "ok"));
        Assert.Contains("Production changed since this request was made (nothing then, v1 now)", changed.Message, StringComparison.Ordinal);
        var selfReject = await Assert.ThrowsAsync<LynqException>(() => bed.Requests.RejectAsync(stale.Id, Trainer, "mine"));
        Assert.Equal(ProblemKind.Forbidden, selfReject.Kind);
        Assert.Equal(PromotionRequestStatus.Rejected, (await bed.Requests.RejectAsync(stale.Id, Approver, "stale comparison")).Status);
        var notMine = await Assert.ThrowsAsync<LynqException>(() => bed.Requests.WithdrawAsync(withdrawn.Id, Approver, null));
        Assert.Equal(ProblemKind.Forbidden, notMine.Kind);
        Assert.Equal(PromotionRequestStatus.Withdrawn, (await bed.Requests.WithdrawAsync(withdrawn.Id, Trainer, "changed my mind")).Status);

        var second = await bed.Requests.RequestAsync(v2.Number, Trainer, "v2 against v1");
        Assert.Equal(1, second.Review.Comparison?.ProductionNumber);
        await bed.RunAsync((await bed.Requests.ApproveAsync(second.Id, Approver, "better")).Promotion);
        var rollback = await bed.Promotions.RollbackAsync(Approver);
        Assert.Equal(PromotionStatus.Succeeded, (await bed.RunAsync(rollback)).Status);
        Assert.Equal(VersionStatus.Production, (await bed.Registry.GetVersionAsync(v1.Id))!.Status);

        Assert.Contains(await bed.AuditOfAsync("v2"), e => (e.Actor, e.Action) == (Approver, PromotionRequests.Rejected));
        Assert.Contains(await bed.AuditOfAsync("v3"), e => (e.Actor, e.Action) == (Trainer, PromotionRequests.Withdrawn));
        Assert.Contains(await bed.AuditOfAsync("v1"), e => (e.Actor, e.Action) == (Approver, "rollback.succeeded"));
    }
}
