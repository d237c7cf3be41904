using LynqDashboard.Core.Data;
using LynqDashboard.Core.Governance;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Shared;

/// <summary>
/// A version that serves, the way one comes to serve: trained through the real job server, asked for by a Trainer,
/// approved by a second person, promoted by its job, then swapped in by the model refresh.
/// </summary>
public static class ServedVersion
{
    /// <summary>Trains a small version on <paramref name="services"/>' app and waits until the scoring API serves it.</summary>
    public static async Task<ModelVersionRecord> TrainAndServeAsync(IServiceProvider services, int rows = 10_000, int trees = 40)
    {
        ArgumentNullException.ThrowIfNull(services);
        var commands = services.GetRequiredService<RegistryCommands>();
        var (_, queued) = await commands.GenerateAndTrainAsync(new DatasetParameters(rows, 7), new TrainingParameters(Trees: trees), "trainer@lynq.test");
        var registry = services.GetRequiredService<IModelRegistry>();
        var version = await Eventually.WaitForAsync(() => registry.GetVersionAsync(queued.Id), v => v.Status == VersionStatus.Ready, TimeSpan.FromSeconds(90), "the model");

        // A small test model may move a PD against a declared direction for some applicants: the request says why it serves anyway.
        var requests = services.GetRequiredService<PromotionRequests>();
        var request = await requests.RequestAsync(version.Number, "trainer@lynq.test", "the test's model",
            monotonicityReason: "A small model trained for the test; its direction is not under test here");
        var (_, promotion) = await requests.ApproveAsync(request.Id, "approver@lynq.test", "second person, for the test");
        var promotions = services.GetRequiredService<IPromotionRegistry>();
        await Eventually.WaitForAsync(() => promotions.GetPromotionAsync(promotion.Id), p => p.Status == PromotionStatus.Succeeded, TimeSpan.FromSeconds(60), "the promotion");

        var active = services.GetRequiredService<ActiveModel>();
        await Eventually.WaitForAsync(() => Task.FromResult<ServingModel?>(active.Current), s => s.Number == version.Number, TimeSpan.FromSeconds(30), "the model to serve");
        return version;
    }
}
