using LynqDashboard.Core.Access;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Governance;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;

namespace LynqDashboard.Web.Security;

/// <summary>
/// Every action a page can take, each checking the caller's role on the server first: Trainer for jobs, notes and
/// promotion requests, Approver for approving them, rollbacks and the risk policy. Pages call these, never the Core commands directly.
/// </summary>
public sealed class DashboardActions(UserAccess access, RegistryCommands registry, PromotionCommands promotions, PromotionRequests requests, IPolicyRegistry policies, ActivePolicy activePolicy)
{
    public async Task<DatasetRecord> GenerateAsync(DatasetParameters parameters)
    {
        await access.RequireAsync(LynqRoles.Trainer, "generate datasets");
        return await registry.GenerateAsync(parameters);
    }

    public async Task<(DatasetRecord Dataset, ModelVersionRecord Version)> GenerateAndTrainAsync(DatasetParameters dataset, TrainingParameters training)
    {
        var by = await access.RequireAsync(LynqRoles.Trainer, "generate and train");
        return await registry.GenerateAndTrainAsync(dataset, training, by);
    }

    public async Task<ModelVersionRecord> TrainAsync(Guid datasetId, TrainingParameters parameters)
    {
        var by = await access.RequireAsync(LynqRoles.Trainer, "start a training");
        return await registry.TrainAsync(datasetId, parameters, by);
    }

    public async Task CancelVersionAsync(Guid id)
    {
        await access.RequireAsync(LynqRoles.Trainer, "cancel a training");
        await registry.CancelVersionAsync(id);
    }

    public async Task CancelDatasetAsync(Guid id)
    {
        await access.RequireAsync(LynqRoles.Trainer, "cancel a generation");
        await registry.CancelDatasetAsync(id);
    }

    public async Task<ModelVersionRecord> RetryVersionAsync(Guid id)
    {
        await access.RequireAsync(LynqRoles.Trainer, "retry a training");
        return await registry.RetryVersionAsync(id);
    }

    public async Task<DatasetRecord> RetryDatasetAsync(Guid id)
    {
        await access.RequireAsync(LynqRoles.Trainer, "retry a generation");
        return await registry.RetryDatasetAsync(id);
    }

    public async Task DeleteVersionAsync(Guid id)
    {
        await access.RequireAsync(LynqRoles.Trainer, "delete a version");
        await registry.DeleteVersionAsync(id);
    }

    public async Task<ModelVersionRecord?> AnnotateAsync(Guid id, string notes, IEnumerable<string> tags)
    {
        await access.RequireAsync(LynqRoles.Trainer, "edit notes");
        return await registry.AnnotateAsync(id, notes, tags);
    }

    /// <summary>The gates and the comparison a request for <paramref name="versionNumber"/> would record now (Trainer).</summary>
    public async Task<PromotionReview> PreviewPromotionAsync(int versionNumber)
    {
        await access.RequireAsync(LynqRoles.Trainer, "review a version for production");
        return await requests.PreviewAsync(versionNumber);
    }

    /// <summary>Asks for a version to go to production (Trainer); a second person approves it.</summary>
    public async Task<PromotionRequestRecord> RequestPromotionAsync(int versionNumber, string? comment, string? leakageReason = null, string? monotonicityReason = null)
    {
        var by = await access.RequireAsync(LynqRoles.Trainer, "ask for a promotion");
        return await requests.RequestAsync(versionNumber, by, comment, leakageReason, monotonicityReason);
    }

    /// <summary>Approves a request and queues its promotion (Approver; not the requester or the version's trainer).</summary>
    public async Task<(PromotionRequestRecord Request, PromotionRecord Promotion)> ApprovePromotionAsync(Guid requestId, string? comment)
    {
        var by = await access.RequireAsync(LynqRoles.Approver, "approve a promotion");
        return await requests.ApproveAsync(requestId, by, comment);
    }

    public async Task<PromotionRequestRecord> RejectPromotionAsync(Guid requestId, string? comment)
    {
        var by = await access.RequireAsync(LynqRoles.Approver, "reject a promotion");
        return await requests.RejectAsync(requestId, by, comment);
    }

    /// <summary>Withdraws one's own pending request (Trainer).</summary>
    public async Task<PromotionRequestRecord> WithdrawPromotionAsync(Guid requestId, string? comment)
    {
        var by = await access.RequireAsync(LynqRoles.Trainer, "withdraw a promotion request");
        return await requests.WithdrawAsync(requestId, by, comment);
    }

    public async Task<PromotionRecord> RollbackAsync()
    {
        var by = await access.RequireAsync(LynqRoles.Approver, "roll back production");
        return await promotions.RollbackAsync(by);
    }

    /// <summary>
    /// Saves <paramref name="policy"/> as the next policy version (Approver) and scores with it from the next request on;
    /// an invalid policy is refused naming each field.
    /// </summary>
    public async Task<PolicyRecord> SavePolicyAsync(RiskPolicy policy, string note)
    {
        var by = await access.RequireAsync(LynqRoles.Approver, "change the risk policy");
        var saved = await policies.SaveAsync(policy, by, note);
        activePolicy.Swap(saved.ToPolicy());
        return saved;
    }

    public async Task<PromotionRecord> RetryPromotionAsync(Guid id)
    {
        var by = await access.RequireAsync(LynqRoles.Approver, "retry a promotion");
        return await promotions.RetryAsync(id, by);
    }
}
