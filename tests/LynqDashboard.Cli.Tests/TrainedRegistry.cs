using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Storage;
using LynqDashboard.Core.Training;
using LynqDashboard.Infrastructure;
using LynqDashboard.Infrastructure.Registry;
using LynqDashboard.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Cli.Tests;

/// <summary>A registry like the dashboard's in a data folder: one generated dataset and Ready versions trained on it by the real workflows.</summary>
internal static class TrainedRegistry
{
    /// <param name="root">The data folder.</param>
    /// <param name="dataset">What to generate (none when <paramref name="versions"/> is empty).</param>
    /// <param name="versions">One training per entry, in order.</param>
    /// <param name="change">Applied to each new version's record (e.g. to mark it Production), or null.</param>
    public static async Task<List<ModelVersionRecord>> TrainAsync(string root, DatasetParameters dataset, IReadOnlyList<TrainingParameters> versions, Action<ModelVersionRecord>? change = null)
    {
        var data = new DataDirectory(root);
        data.EnsureCreated();
        await using var services = new ServiceCollection().AddLynqInfrastructure(data.RegistryDatabase).BuildServiceProvider();
        await RegistryDatabase.MigrateAsync(services.GetRequiredService<IDbContextFactory<RegistryDbContext>>());
        var registry = services.GetRequiredService<IModelRegistry>();
        using var runs = new InlineRuns(registry, data, new NullScheduler(), new NullPublisher());
        var trained = new List<ModelVersionRecord>();
        if (versions.Count > 0)
        {
            var generated = await runs.Commands.GenerateAsync(dataset);
            await runs.Generation.RunAsync(generated.Id, CancellationToken.None);
            foreach (var parameters in versions)
            {
                var version = await runs.Commands.TrainAsync(generated.Id, parameters);
                await runs.Training.RunAsync(version.Id, CancellationToken.None);
                trained.Add((change is null ? await registry.GetVersionAsync(version.Id) : await registry.UpdateVersionAsync(version.Id, change))!);
            }
        }

        // Another process (the app, the CLI) opens the file next.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return trained;
    }
}
