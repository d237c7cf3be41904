using LynqDashboard.Core;
using LynqDashboard.Core.Access;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Training;
using LynqDashboard.Web.Security;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Security;

/// <summary>
/// Every action a page can take, called as each role through the real services: the role check runs on the
/// server whatever the page showed. Arguments are chosen so an allowed call stops at validation and changes nothing.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class ActionMatrixTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private static readonly Dictionary<string, (string Required, Func<IServiceProvider, Task> Call)> Actions = new()
    {
        ["generate"] = (LynqRoles.Trainer, s => Dashboard(s).GenerateAsync(new DatasetParameters(0, 1))),
        ["generate and train"] = (LynqRoles.Trainer, s => Dashboard(s).GenerateAndTrainAsync(new DatasetParameters(0, 1), new TrainingParameters())),
        ["train"] = (LynqRoles.Trainer, s => Dashboard(s).TrainAsync(Guid.NewGuid(), new TrainingParameters())),
        ["cancel training"] = (LynqRoles.Trainer, s => Dashboard(s).CancelVersionAsync(Guid.NewGuid())),
        ["cancel generation"] = (LynqRoles.Trainer, s => Dashboard(s).CancelDatasetAsync(Guid.NewGuid())),
        ["retry training"] = (LynqRoles.Trainer, s => Dashboard(s).RetryVersionAsync(Guid.NewGuid())),
        ["retry generation"] = (LynqRoles.Trainer, s => Dashboard(s).RetryDatasetAsync(Guid.NewGuid())),
        ["delete version"] = (LynqRoles.Trainer, s => Dashboard(s).DeleteVersionAsync(Guid.NewGuid())),
        ["edit notes"] = (LynqRoles.Trainer, s => Dashboard(s).AnnotateAsync(Guid.NewGuid(), "n", [])),
        ["promote"] = (LynqRoles.Approver, s => Dashboard(s).PromoteAsync(99, null)),
        ["roll back"] = (LynqRoles.Approver, s => Dashboard(s).RollbackAsync()),
        ["retry promotion"] = (LynqRoles.Approver, s => Dashboard(s).RetryPromotionAsync(Guid.NewGuid())),
        ["list users"] = (LynqRoles.Admin, s => Admin(s).ListUsersAsync()),
        ["add user"] = (LynqRoles.Admin, s => Admin(s).CreateUserAsync("not an address", LynqRoles.Viewer)),
        ["change role"] = (LynqRoles.Admin, s => Admin(s).SetRoleAsync("no-such-id", LynqRoles.Viewer)),
        ["lock"] = (LynqRoles.Admin, s => Admin(s).LockAsync("no-such-id")),
        ["unlock"] = (LynqRoles.Admin, s => Admin(s).UnlockAsync("no-such-id")),
        ["reset password"] = (LynqRoles.Admin, s => Admin(s).ResetPasswordAsync("no-such-id")),
        ["list keys"] = (LynqRoles.Admin, s => Admin(s).ListKeysAsync()),
        ["make key"] = (LynqRoles.Admin, s => Admin(s).CreateKeyAsync("x")),
        ["revoke key"] = (LynqRoles.Admin, s => Admin(s).RevokeKeyAsync(Guid.NewGuid())),
    };

    public static TheoryData<string, string> Matrix() =>
        [.. Actions.Keys.SelectMany(action => new[] { "none" }.Concat(LynqRoles.All).Select(role => (action, role)))];

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Action_AsRole_IsAllowedExactlyWhenTheRoleIncludesTheRequiredOne(string action, string role)
    {
        var (required, call) = Actions[action];
        var audit = factory.Services.GetRequiredService<IAuditLog>();
        var deniedBefore = (await audit.ListAsync(0, 1000)).Count(a => a.Action == "access.denied");
        await using var scope = factory.Services.CreateAsyncScope();
        CircuitUser.SignIn(scope.ServiceProvider, role == "none" ? null : $"{role.ToLowerInvariant()}@lynq.test", role == "none" ? null : role);

        var error = await Record.ExceptionAsync(() => call(scope.ServiceProvider));

        var deniedAfter = (await audit.ListAsync(0, 1000)).Count(a => a.Action == "access.denied");
        if (role != "none" && LynqRoles.Includes(role, required))
        {
            Assert.False(error is LynqException { Kind: ProblemKind.Forbidden }, $"{role} was refused '{action}': {error?.Message}");
            Assert.True(error is null or LynqException, $"'{action}' as {role} failed unexpectedly: {error}");
            Assert.Equal(deniedBefore, deniedAfter);
        }
        else
        {
            var refused = Assert.IsType<LynqException>(error);
            Assert.Equal(ProblemKind.Forbidden, refused.Kind);
            Assert.Contains(role == "none" ? "Sign in" : $"needs the {required} role", refused.Message, StringComparison.Ordinal);
            Assert.Equal(deniedBefore + 1, deniedAfter);
        }
    }

    [Fact]
    public void EveryPublicActionMethod_IsInTheMatrix()
    {
        var methods = typeof(DashboardActions).GetMethods().Concat(typeof(AdminActions).GetMethods())
            .Where(m => m.DeclaringType is { } t && (t == typeof(DashboardActions) || t == typeof(AdminActions)) && m.ReturnType.IsAssignableTo(typeof(Task)))
            .Select(m => m.Name).Distinct().ToList();

        Assert.Equal(Actions.Count, methods.Count);
    }

    private static DashboardActions Dashboard(IServiceProvider services) => services.GetRequiredService<DashboardActions>();

    private static AdminActions Admin(IServiceProvider services) => services.GetRequiredService<AdminActions>();
}
