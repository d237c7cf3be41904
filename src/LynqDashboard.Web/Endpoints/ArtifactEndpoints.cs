using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Registry;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LynqDashboard.Web.Endpoints;

/// <summary>Downloads of a version's artifacts and a dataset's CSV. Only names the registry recorded are served.</summary>
public static class ArtifactEndpoints
{
    public static IEndpointRouteBuilder MapArtifactDownloads(this IEndpointRouteBuilder app)
    {
        var downloads = app.MapGroup("/downloads").RequireAuthorization(LynqDashboard.Core.Access.LynqRoles.Viewer);
        downloads.MapGet("/models/{number:int}/{file}", DownloadArtifactAsync).WithName("DownloadArtifact");
        downloads.MapGet("/datasets/{id:guid}", DownloadDatasetAsync).WithName("DownloadDataset");
        downloads.MapGet("/scored/{token}", DownloadScored).WithName("DownloadScored");
        return app;
    }

    private static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> DownloadArtifactAsync(
        int number, string file, IModelRegistry registry, IArtifactStore artifacts, IModelReports reports, CancellationToken cancellationToken)
    {
        var version = await registry.GetVersionByNumberAsync(number, cancellationToken).ConfigureAwait(false);
        if (version is { ArtifactDirectory: not null } && IsReport(file) && !version.Artifacts.Any(a => a.Name == file) && version.Status.IsUsable())
        {
            // A version trained before the documentation pack existed, or whose pack failed to write at training, gets it now.
            await reports.WriteAsync(version.Id, cancellationToken).ConfigureAwait(false);
            version = await registry.GetVersionByNumberAsync(number, cancellationToken).ConfigureAwait(false);
        }

        if (version?.ArtifactDirectory is null || !version.Artifacts.Any(a => a.Name == file))
        {
            return TypedResults.Problem($"v{number} has no artifact named '{file}'.", statusCode: StatusCodes.Status404NotFound);
        }

        var path = Path.Combine(await artifacts.VersionFolderAsync(version, cancellationToken).ConfigureAwait(false), file);
        return TypedResults.PhysicalFile(path, ContentType(file), $"lynq_v{number}_{file}");
    }

    private static bool IsReport(string file) => file is IModelReports.PdfFile or IModelReports.HtmlFile;

    private static string ContentType(string file) => Path.GetExtension(file) switch
    {
        ".json" => "application/json",
        ".csv" => "text/csv",
        ".txt" => "text/plain",
        ".pdf" => "application/pdf",
        ".html" => "text/html; charset=utf-8",
        _ => "application/zip",
    };

    private static Results<FileContentHttpResult, ProblemHttpResult> DownloadScored(string token, Scoring.ScoredFiles files) =>
        files.Get(token) is { } csv
            ? TypedResults.File(csv, "text/csv", "lynq_scored.csv")
            : TypedResults.Problem("That scored file has expired (files are kept for 30 minutes); score the upload again.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> DownloadDatasetAsync(
        Guid id, IModelRegistry registry, IArtifactStore artifacts, CancellationToken cancellationToken)
    {
        var dataset = await registry.GetDatasetAsync(id, cancellationToken).ConfigureAwait(false);
        if (dataset is not { Status: DatasetStatus.Ready, FilePath: not null })
        {
            return TypedResults.Problem("That dataset does not exist or is not ready.", statusCode: StatusCodes.Status404NotFound);
        }

        return TypedResults.PhysicalFile(await artifacts.DatasetFileAsync(dataset, cancellationToken).ConfigureAwait(false), "text/csv", $"lynq_dataset_{id:N}.csv");
    }
}
