using System.Reflection;
using System.Text.RegularExpressions;

namespace LynqDashboard.Core.Tests.Architecture;

/// <summary>
/// Core's folders depend on each other in one direction only (docs/architecture.md): a folder may use the folders in
/// lower layers, never one in its own layer or above. Read from the source, so a `using` or a qualified name counts.
/// </summary>
public sealed partial class FolderDependencyTests
{
    // Lowest first. A folder may depend only on folders of earlier layers.
    private static readonly string[][] Layers =
    [
        ["Features", "Serialization", "Storage", "Access"],
        ["Data", "Evaluation"],
        ["Training"],
        ["Registry"],
        ["Artifacts", "Runs"],
        ["Scoring"],
        ["Promotion", "Workflows"],
        ["Challengers"],
        ["Governance", "Monitoring"],
        ["Reports", "Retraining"],
    ];

    [Fact]
    public void CoreFolders_DependOnlyOnLowerLayers()
    {
        var core = Path.Combine(RepositoryRoot(), "src", "LynqDashboard.Core");
        var folders = Directory.GetDirectories(core).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).Cast<string>().ToList();
        var layerOf = Layers.SelectMany((names, layer) => names.Select(n => (n, layer))).ToDictionary(x => x.n, x => x.layer);
        Assert.Empty(folders.Except(layerOf.Keys)); // a new folder gets its place in the layers (and the doc) first

        var wrong = new List<string>();
        foreach (var folder in folders)
        {
            foreach (var file in Directory.GetFiles(Path.Combine(core, folder), "*.cs", SearchOption.AllDirectories))
            {
                var text = Comment().Replace(File.ReadAllText(file), string.Empty);
                foreach (var other in folders.Where(o => o != folder && layerOf[o] >= layerOf[folder]))
                {
                    if (Regex.IsMatch(text, $@"(using LynqDashboard\.Core\.{other};|\bCore\.{other}\.|(?<![\w.]){other}\.[A-Z])"))
                    {
                        wrong.Add($"{folder}/{Path.GetFileName(file)} uses {other} (layer {layerOf[other]} ≥ its own {layerOf[folder]})");
                    }
                }
            }
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public void Core_ReferencesNoWebDatabaseCloudOrJobFramework()
    {
        var references = typeof(Features.LoanFeatures).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty).ToList();

        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)
            || name.StartsWith("AWSSDK", StringComparison.Ordinal)
            || name.StartsWith("Hangfire", StringComparison.Ordinal)
            || name.StartsWith("MudBlazor", StringComparison.Ordinal));
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LynqDashboard.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("LynqDashboard.sln not found above " + Assembly.GetExecutingAssembly().Location);
    }

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex Comment();
}
