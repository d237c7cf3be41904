using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using LynqDashboard.Core.Artifacts;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Core.Promotion;

/// <summary>
/// The checks a version passes before anything is written to the bucket. Every check runs and reports, so a
/// promoter sees the whole picture at once; checks that need an unreachable bucket say they were not run.
/// </summary>
public sealed class PromotionPreflight(IArtifactStore artifacts, PromotionGates gates)
{
    public const string Ready = "Version is ready";
    public const string FilesMatch = "Files match the registry";
    public const string Reachable = "Bucket reachable";
    public const string Writable = "Bucket writable";
    public const string Features = "Features match production";
    public const string Golden = "Golden record scores as recorded";
    public const string Quality = "Quality gates";
    public const string Leakage = "Leakage check";

    /// <param name="promotion">The promotion being checked (bucket, prefix, pointer, leakage reason).</param>
    /// <param name="version">The version record; null when it was deleted.</param>
    /// <param name="store">The bucket; null when production is the registry's designation alone (no bucket checks then).</param>
    /// <param name="report">Receives the checks done so far after each one, for live display.</param>
    /// <param name="cancellationToken">Stops between checks.</param>
    public async Task<IReadOnlyList<PreflightCheck>> RunAsync(
        PromotionRecord promotion, ModelVersionRecord? version, IObjectStore? store, Func<IReadOnlyList<PreflightCheck>, Task> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(promotion);
        ArgumentNullException.ThrowIfNull(report);
        var checks = new List<PreflightCheck>();
        async Task AddAsync(PreflightCheck check)
        {
            checks.Add(check);
            await report([.. checks]).ConfigureAwait(false);
        }

        var folder = await LocalFolderAsync(version, cancellationToken).ConfigureAwait(false);
        await AddAsync(CheckReady(version, folder)).ConfigureAwait(false);
        await AddAsync(CheckFiles(version, folder)).ConfigureAwait(false);

        if (store is null)
        {
            await AddAsync(CheckFeaturesAgainstBuild(folder)).ConfigureAwait(false);
        }
        else
        {
            var reachable = await CheckReachableAsync(store, cancellationToken).ConfigureAwait(false);
            await AddAsync(reachable).ConfigureAwait(false);
            await AddAsync(reachable.Passed
                ? await StoreCheckAsync(Writable, () => store.ProbeWriteAsync(PromotionLayout.WriteProbeKey(promotion.KeyPrefix), cancellationToken), "a test object was written and removed").ConfigureAwait(false)
                : NotRun(Writable)).ConfigureAwait(false);
            await AddAsync(reachable.Passed ? await CheckFeaturesAsync(promotion, folder, store, cancellationToken).ConfigureAwait(false) : NotRun(Features)).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        await AddAsync(CheckGolden(version, folder)).ConfigureAwait(false);
        await AddAsync(CheckGates(version)).ConfigureAwait(false);
        await AddAsync(CheckLeakage(version, promotion.LeakageReason)).ConfigureAwait(false);
        return checks;
    }

    // The version's files as this process has them (fetched from the artifact store when kept elsewhere); null when there are none.
    private async Task<string?> LocalFolderAsync(ModelVersionRecord? version, CancellationToken cancellationToken)
    {
        if (version is not { ArtifactDirectory: not null } || !version.Status.IsUsable())
        {
            return null;
        }

        try
        {
            return await artifacts.VersionFolderAsync(version, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ObjectStoreException or IOException or InvalidOperationException)
        {
            return null;
        }
    }

    private static PreflightCheck CheckReady(ModelVersionRecord? version, string? folder) => version switch
    {
        null => new(Ready, false, "The version is no longer in the registry."),
        _ when !version.Status.IsUsable() => new(Ready, false, $"{version.Label} is {version.Status.ToString().ToLowerInvariant()}; only a trained (Ready) version can be promoted."),
        _ when folder is null || !Directory.Exists(folder) => new(Ready, false, $"The files of {version.Label} are missing from the artifact store."),
        _ => new(Ready, true, $"{version.Label} is {version.Status.ToString().ToLowerInvariant()}, trained {version.FinishedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "earlier"}."),
    };

    // Without a bucket the scoring contract is this build's: the version must score the features it reads.
    private static PreflightCheck CheckFeaturesAgainstBuild(string? folder)
    {
        if (folder is null || !File.Exists(Path.Combine(folder, ModelArtifacts.FeatureConfigFile)))
        {
            return NotRun(Features);
        }

        try
        {
            return AgainstBuild(FeatureConfig.Load(Path.Combine(folder, ModelArtifacts.FeatureConfigFile)).Features, noPointerIn: null);
        }
        catch (InvalidDataException e)
        {
            return new(Features, false, e.Message);
        }
    }

    // The version's features against the ones this build scores; noPointerIn names the bucket that has no production model yet.
    private static PreflightCheck AgainstBuild(IReadOnlyList<string> candidate, string? noPointerIn) =>
        FeatureListDifference.Describe(LoanFeatures.Names, candidate) switch
        {
            null => new(Features, true, $"{(noPointerIn is null ? "The" : $"No production model in {noPointerIn} yet; the")} version's {candidate.Count} features are the ones this build scores."),
            var difference => new(Features, false, $"{(noPointerIn is null ? "The" : "No production model yet, but the")} version's features differ from the ones this build scores: {difference}."),
        };

    internal static PreflightCheck CheckFiles(ModelVersionRecord? version, string? folder)
    {
        if (version is null || folder is null || !Directory.Exists(folder))
        {
            return NotRun(FilesMatch);
        }

        var problems = new List<string>();
        foreach (var name in new[] { ModelArtifacts.ModelFile, ModelArtifacts.FeatureConfigFile })
        {
            var expected = version.Artifacts.FirstOrDefault(a => a.Name == name);
            var path = Path.Combine(folder, name);
            if (expected is null)
            {
                problems.Add($"the registry holds no hash of {name}");
            }
            else if (!File.Exists(path))
            {
                problems.Add($"{name} is missing");
            }
            else
            {
                using var stream = File.OpenRead(path);
                var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
                if (actual != expected.Sha256 || stream.Length != expected.SizeBytes)
                {
                    problems.Add($"{name} changed since training (SHA-256 {actual[..12]}…, registry {expected.Sha256[..12]}…)");
                }
            }
        }

        return problems.Count == 0
            ? new(FilesMatch, true, "model.zip and feature_config.json have the SHA-256 the registry recorded at training.")
            : new(FilesMatch, false, string.Join("; ", problems) + ".");
    }

    /// <summary>The bucket exists and these credentials may see it (a rollback checks it the same way).</summary>
    internal static Task<PreflightCheck> CheckReachableAsync(IObjectStore store, CancellationToken cancellationToken) =>
        StoreCheckAsync(Reachable, () => store.EnsureBucketReachableAsync(cancellationToken), $"s3://{store.Bucket} at {store.Endpoint}");

    private static async Task<PreflightCheck> StoreCheckAsync(string name, Func<Task> call, string success)
    {
        try
        {
            await call().ConfigureAwait(false);
            return new(name, true, success);
        }
        catch (ObjectStoreException e)
        {
            return new(name, false, e.Message, e.Code);
        }
    }

    private static async Task<PreflightCheck> CheckFeaturesAsync(PromotionRecord promotion, string? folder, IObjectStore store, CancellationToken cancellationToken)
    {
        if (folder is null || !File.Exists(Path.Combine(folder, ModelArtifacts.FeatureConfigFile)))
        {
            return NotRun(Features);
        }

        IReadOnlyList<string> candidate;
        try
        {
            candidate = FeatureConfig.Load(Path.Combine(folder, ModelArtifacts.FeatureConfigFile)).Features;
        }
        catch (InvalidDataException e)
        {
            return new(Features, false, e.Message);
        }

        try
        {
            var production = await store.ReadProductionAsync(promotion.PointerKey, cancellationToken).ConfigureAwait(false);
            if (production.Outcome == ProductionReadOutcome.NoPointer)
            {
                return AgainstBuild(candidate, $"s3://{store.Bucket}");
            }

            if (production is not { Manifest: { } manifest, ProductionPointer: { } pointer })
            {
                return new(Features, false, $"The production model in the bucket could not be read: {production.Problem}");
            }

            var configKey = manifest.Objects.FirstOrDefault(o => o.Role == PromotionManifest.ConfigRole)?.Key
                ?? throw new InvalidDataException($"{production.ManifestKey} names no config object");
            var configBytes = await store.ReadAsync(configKey, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"{configKey} does not exist");
            var difference = FeatureListDifference.Describe(ReadFeatureNames(configBytes, configKey), candidate);
            return difference is null
                ? new(Features, true, $"The same {candidate.Count} features in the same order as production (version {pointer.Version}).")
                : new(Features, false, $"Production (version {pointer.Version}) and this version differ: {difference}. The scoring contract would break.");
        }
        catch (ObjectStoreException e)
        {
            return new(Features, false, $"The production model could not be read: {e.Message}", e.Code);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            return new(Features, false, $"The production model in the bucket could not be read: {e.Message}.");
        }
    }

    // Only the feature list is read: a config from the original uploader has fewer fields than ours.
    private static List<string> ReadFeatureNames(byte[] config, string key)
    {
        using var document = JsonDocument.Parse(config);
        if (!document.RootElement.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{key} has no features list");
        }

        return [.. features.EnumerateArray().Select(f => f.GetString() ?? string.Empty)];
    }

    private static PreflightCheck CheckGolden(ModelVersionRecord? version, string? folder)
    {
        if (version is null || folder is null || !Directory.Exists(folder))
        {
            return NotRun(Golden);
        }

        try
        {
            var pd = GoldenRecord.Score(ScoringModel.Load(folder));
            string F(double value) => value.ToString("0.000000", CultureInfo.InvariantCulture);
            return version.GoldenPd switch
            {
                null when pd is >= 0 and <= 1 => new(Golden, true, $"The example applicant scores PD {F(pd)}; no expected value was recorded for this older version."),
                null => new(Golden, false, $"The example applicant scores PD {F(pd)}, which is not a probability."),
                { } expected when Math.Abs(pd - expected) <= GoldenRecord.Tolerance => new(Golden, true, $"The packaged model.zip scores the example applicant at PD {F(pd)}, as recorded at training."),
                { } expected => new(Golden, false, $"The packaged model.zip scores the example applicant at PD {F(pd)}, but training recorded {F(expected)}: the package is not the trained model."),
            };
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or FormatException)
        {
            return new(Golden, false, $"model.zip could not be loaded to score the example applicant: {e.Message}");
        }
    }

    private PreflightCheck CheckGates(ModelVersionRecord? version)
    {
        if (version is null)
        {
            return NotRun(Quality);
        }

        var results = gates.Check(version);
        return new(Quality, results.All(r => r.Passed), string.Join("; ", results.Select(r => r.Detail)) + ".");
    }

    private static PreflightCheck CheckLeakage(ModelVersionRecord? version, string? reason)
    {
        if (version is null)
        {
            return NotRun(Leakage);
        }

        if (string.IsNullOrEmpty(version.LeakageSuspects))
        {
            return new(Leakage, true, "No feature separates the classes on its own.");
        }

        var suspects = version.LeakageSuspects.Replace(",", ", ", StringComparison.Ordinal);
        return string.IsNullOrWhiteSpace(reason)
            ? new(Leakage, false, $"{suspects} alone separate(s) defaults from repayments (single-feature AUC ≥ 0.98): the data probably leaks the outcome. Promote only with a written reason.")
            : new(Leakage, true, $"{suspects} flagged; promoted anyway because: {reason.Trim()}");
    }

    private static PreflightCheck NotRun(string name) => new(name, false, "Not checked: an earlier check failed.");
}
