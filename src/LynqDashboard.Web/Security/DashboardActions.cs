using LynqDashboard.Core.Access;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;

namespace LynqDashboard.Web.Security;

/// <summary>
/// Every action a page can take, each checking the caller's role on the server first: Trainer for jobs and notes,
/// Approver for production and the risk policy. Pages call these, never the Core commands directly.
/// </summary>
public sealed class DashboardActions(UserAccess access, RegistryCommands registry, PromotionCommands promotions, IPolicyRegistry policies, ActivePolicy activePolicy)
{
    public async Task<DatasetRecord> GenerateAsync(DatasetParameters parameters)
    {
        await access.RequireAsync(LynqRoles.Trainer, "generate datasets");
        return await registry.GenerateAsync(parameters);
    }

    public async Task<(DatasetRecord Dataset, ModelVersionRecord Version)> GenerateAndTrainAsync(DatasetParameters dataset, TrainingParameters training)
    {
        await access.RequireAsync(LynqRoles.Trainer, "generate and train");
        return await registry.GenerateAndTrainAsync(dataset, training);
    }

    public async Task<ModelVersionRecord> TrainAsync(Guid datasetId, TrainingParameters parameters)
    {
        await access.RequireAsync(LynqRoles.Trainer, "start a training");
        return await registry.TrainAsync(datasetId, parameters);
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

    public async Task<PromotionRecord> PromoteAsync(int versionNumber, string? leakageReason)
    {
        var by = await access.RequireAsync(LynqRoles.Approver, "promote a version");
        return await promotions.PromoteAsync(versionNumber, by, leakageReason);
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
