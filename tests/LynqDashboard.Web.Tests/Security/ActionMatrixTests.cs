using LynqDashboard.Core;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Security;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Security;

/// <summary>
/// Every action a page can take, called as each role through the real services: the role check runs on the
/// server whatever the page showed. Who may do what is written out by name below, never worked out from the role
/// ranking, so a changed rule changes this table. Arguments are chosen so an allowed call only reads, or stops at
/// a named validation problem, and changes nothing.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class ActionMatrixTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private const string Nobody = "none";
    private const string Allowed = "allowed";
    private const string Refused = "refused";

    private static readonly string[] Everyone = [Nobody, LynqRoles.Viewer, LynqRoles.Trainer, LynqRoles.Approver, LynqRoles.Admin];
    private static readonly string[] TrainerAndAbove = [LynqRoles.Trainer, LynqRoles.Approver, LynqRoles.Admin];
    private static readonly string[] ApproverAndAbove = [LynqRoles.Approver, LynqRoles.Admin];
    private static readonly string[] AdminOnly = [LynqRoles.Admin];

    private static readonly Dictionary<string, PageAction> Actions = new PageAction[]
    {
        new(nameof(DashboardActions.GenerateAsync), "generate datasets", LynqRoles.Trainer, TrainerAndAbove, Problem(ProblemKind.Invalid, "rows"), s => Dashboard(s).GenerateAsync(new DatasetParameters(0, 1))),
        new(nameof(DashboardActions.GenerateAndTrainAsync), "generate and train", LynqRoles.Trainer, TrainerAndAbove, Problem(ProblemKind.Invalid, "rows"), s => Dashboard(s).GenerateAndTrainAsync(new DatasetParameters(0, 1), new TrainingParameters())),
        new(nameof(DashboardActions.TrainAsync), "start a training", LynqRoles.Trainer, TrainerAndAbove, Problem(ProblemKind.NotFound, "dataset"), s => Dashboard(s).TrainAsync(Guid.NewGuid(), new TrainingParameters())),
        new(nameof(DashboardActions.CancelVersionAsync), "cancel a training", LynqRoles.Trainer, TrainerAndAbove, null, s => Dashboard(s).CancelVersionAsync(Guid.NewGuid())),
        new(nameof(DashboardActions.CancelDatasetAsync), "cancel a generation", LynqRoles.Trainer, TrainerAndAbove, null, s => Dashboard(s).CancelDatasetAsync(Guid.NewGuid())),
        new(nameof(DashboardActions.RetryVersionAsync), "retry a training", LynqRoles.Trainer, TrainerAndAbove, Problem(ProblemKind.NotFound, "version"), s => Dashboard(s).RetryVersionAsync(Guid.NewGuid())),
        new(nameof(DashboardActions.RetryDatasetAsync), "retry a generation", LynqRoles.Trainer, TrainerAndAbove, Problem(ProblemKind.NotFound, "dataset"), s => Dashboard(s).RetryDatasetAsync(Guid.NewGuid())),
        new(nameof(DashboardActions.DeleteVersionAsync), "delete a version", LynqRoles.Trainer, TrainerAndAbove, null, s => Dashboard(s).DeleteVersionAsync(Guid.NewGuid())),
        new(nameof(DashboardActions.AnnotateAsync), "edit notes", LynqRoles.Trainer, TrainerAndAbove, null, s => Dashboard(s).AnnotateAsync(Guid.NewGuid(), "n", [])),
        new(nameof(DashboardActions.PreviewPromotionAsync), "review a version for production", LynqRoles.Trainer, TrainerAndAbove, Problem(ProblemKind.NotFound, "version"), s => Dashboard(s).PreviewPromotionAsync(99)),
        new(nameof(DashboardActions.RequestPromotionAsync), "ask for a promotion", LynqRoles.Trainer, TrainerAndAbove, Problem(ProblemKind.Invalid, "comment"), s => Dashboard(s).RequestPromotionAsync(99, " ")),
        new(nameof(DashboardActions.ApprovePromotionAsync), "approve a promotion", LynqRoles.Approver, ApproverAndAbove, Problem(ProblemKind.NotFound, "request"), s => Dashboard(s).ApprovePromotionAsync(Guid.NewGuid(), "ok")),
        new(nameof(DashboardActions.RejectPromotionAsync), "reject a promotion", LynqRoles.Approver, ApproverAndAbove, Problem(ProblemKind.NotFound, "request"), s => Dashboard(s).RejectPromotionAsync(Guid.NewGuid(), "no")),
        new(nameof(DashboardActions.WithdrawPromotionAsync), "withdraw a promotion request", LynqRoles.Trainer, TrainerAndAbove, Problem(ProblemKind.NotFound, "request"), s => Dashboard(s).WithdrawPromotionAsync(Guid.NewGuid(), null)),
        new(nameof(DashboardActions.RollbackAsync), "roll back production", LynqRoles.Approver, ApproverAndAbove, (ProblemKind.Conflict, null), s => Dashboard(s).RollbackAsync()),
        new(nameof(DashboardActions.RetryPromotionAsync), "retry a promotion", LynqRoles.Approver, ApproverAndAbove, Problem(ProblemKind.NotFound, "promotion"), s => Dashboard(s).RetryPromotionAsync(Guid.NewGuid())),
        new(nameof(DashboardActions.SavePolicyAsync), "change the risk policy", LynqRoles.Approver, ApproverAndAbove, Problem(ProblemKind.Invalid, "Name"), s => Dashboard(s).SavePolicyAsync(RiskPolicy.Default with { Name = " " }, "n")),
        new(nameof(AdminActions.ListUsersAsync), "see users", LynqRoles.Admin, AdminOnly, null, s => Admin(s).ListUsersAsync()),
        new(nameof(AdminActions.CreateUserAsync), "add users", LynqRoles.Admin, AdminOnly, Problem(ProblemKind.Invalid, "email"), s => Admin(s).CreateUserAsync("not an address", LynqRoles.Viewer)),
        new(nameof(AdminActions.SetRoleAsync), "change roles", LynqRoles.Admin, AdminOnly, Problem(ProblemKind.NotFound, "user"), s => Admin(s).SetRoleAsync("no-such-id", LynqRoles.Viewer)),
        new(nameof(AdminActions.LockAsync), "lock accounts", LynqRoles.Admin, AdminOnly, Problem(ProblemKind.NotFound, "user"), s => Admin(s).LockAsync("no-such-id")),
        new(nameof(AdminActions.UnlockAsync), "unlock accounts", LynqRoles.Admin, AdminOnly, Problem(ProblemKind.NotFound, "user"), s => Admin(s).UnlockAsync("no-such-id")),
        new(nameof(AdminActions.ResetPasswordAsync), "reset passwords", LynqRoles.Admin, AdminOnly, Problem(ProblemKind.NotFound, "user"), s => Admin(s).ResetPasswordAsync("no-such-id")),
        new(nameof(AdminActions.ListKeysAsync), "see API keys", LynqRoles.Admin, AdminOnly, null, s => Admin(s).ListKeysAsync()),
        new(nameof(AdminActions.CreateKeyAsync), "make API keys", LynqRoles.Admin, AdminOnly, Problem(ProblemKind.Invalid, "name"), s => Admin(s).CreateKeyAsync("x")),
        new(nameof(AdminActions.RevokeKeyAsync), "revoke API keys", LynqRoles.Admin, AdminOnly, Problem(ProblemKind.NotFound, "key"), s => Admin(s).RevokeKeyAsync(Guid.NewGuid())),
    }.ToDictionary(a => a.Method);

    public static TheoryData<string, string, string> Matrix() =>
        [.. Actions.Values.SelectMany(a => Everyone.Select(role => (a.Method, role, a.AllowedRoles.Contains(role) ? Allowed : Refused)))];

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Action_AsRole_IsAllowedOrRefusedAsTheTableSays(string method, string role, string expected)
    {
        var action = Actions[method];
        var email = role == Nobody ? null : $"{role.ToLowerInvariant()}@lynq.test";
        var audit = factory.Services.GetRequiredService<IAuditLog>();
        var lastEventBefore = await audit.ListAsync(0, 1) is [var newest] ? newest.Id : 0;
        await using var scope = factory.Services.CreateAsyncScope();
        CircuitUser.SignIn(scope.ServiceProvider, email, role == Nobody ? null : role);

        var error = await Record.ExceptionAsync(() => action.Call(scope.ServiceProvider));

        var denials = (await audit.ListAsync(0, 100)).Where(e => e.Id > lastEventBefore && e.Action == "access.denied").ToList();
        if (expected == Allowed)
        {
            // Past the role check: the call read, or met the problem its arguments were chosen to meet.
            (ProblemKind, string?)? outcome = error is LynqException problem ? (problem.Kind, problem.Field) : null;
            Assert.Equal(action.AllowedOutcome, outcome);
            Assert.True(error is null or LynqException, $"{method} as {role} failed unexpectedly: {error}");
            Assert.Empty(denials);
        }
        else
        {
            var refused = Assert.IsType<LynqException>(error);
            Assert.Equal(ProblemKind.Forbidden, refused.Kind);
            Assert.Equal(
                role == Nobody ? $"Sign in to {action.Phrase}." : $"Your role ({role}) may not {action.Phrase}; it needs the {action.Needs} role. Ask an Admin.",
                refused.Message);
            var denial = Assert.Single(denials);
            Assert.Equal((email ?? UserAccess.Anonymous, action.Phrase, $"role {(role == Nobody ? "none" : role)}; needs {action.Needs}"), (denial.Actor, denial.Subject, denial.Detail));
        }
    }

    [Fact]
    public void EveryPublicActionMethod_IsInTheMatrix()
    {
        var methods = typeof(DashboardActions).GetMethods().Concat(typeof(AdminActions).GetMethods())
            .Where(m => m.DeclaringType is { } t && (t == typeof(DashboardActions) || t == typeof(AdminActions)) && m.ReturnType.IsAssignableTo(typeof(Task)))
            .Select(m => m.Name).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(methods, Actions.Keys.Order(StringComparer.Ordinal));
    }

    private static (ProblemKind Kind, string? Field) Problem(ProblemKind kind, string field) => (kind, field);

    private static DashboardActions Dashboard(IServiceProvider services) => services.GetRequiredService<DashboardActions>();

    private static AdminActions Admin(IServiceProvider services) => services.GetRequiredService<AdminActions>();

    /// <param name="Method">The public method on DashboardActions or AdminActions.</param>
    /// <param name="Phrase">What a refusal says the person tried ("generate datasets").</param>
    /// <param name="Needs">The role a refusal names.</param>
    /// <param name="AllowedRoles">Every role that may call it, by name.</param>
    /// <param name="AllowedOutcome">What an allowed call meets with these arguments: null when it completes.</param>
    /// <param name="Call">The call, as the signed-in person.</param>
    private sealed record PageAction(string Method, string Phrase, string Needs, string[] AllowedRoles, (ProblemKind Kind, string? Field)? AllowedOutcome, Func<IServiceProvider, Task> Call);
}
