namespace LynqDashboard.Core.Data;

/// <summary>Writes a generated dataset as CSV + manifest, atomically: a crash or a cancel leaves no half file.</summary>
public static class DatasetFiles
{
    public static async Task<DatasetManifest> GenerateAsync(
        DatasetParameters parameters,
        string csvPath,
        IProgress<GenerationProgress>? progress = null,
        TimeProvider? clock = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var generator = new DatasetGenerator(parameters);
        var fullPath = Path.GetFullPath(csvPath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var temporary = $"{fullPath}.{Guid.NewGuid():N}.tmp";
        try
        {
            DatasetWriteResult result;
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
            {
                result = await generator.WriteCsvAsync(stream, progress, cancellationToken).ConfigureAwait(false);
            }

            var manifest = new DatasetManifest
            {
                FileName = Path.GetFileName(fullPath),
                RowCount = result.Rows,
                Defaults = result.Defaults,
                ObservedDefaultRate = result.ObservedDefaultRate,
                Columns = DatasetCsvFormat.Columns,
                Sha256 = result.Sha256,
                SizeBytes = result.SizeBytes,
                Generator = GeneratorParameters.From(parameters),
                CreatedAt = (clock ?? TimeProvider.System).GetUtcNow(),
            };
            File.Move(temporary, fullPath, overwrite: true);
            await manifest.SaveAsync(DatasetManifest.PathFor(fullPath), cancellationToken).ConfigureAwait(false);
            return manifest;
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
