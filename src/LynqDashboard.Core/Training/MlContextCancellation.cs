using System.Reflection;
using Microsoft.ML;

namespace LynqDashboard.Core.Training;

/// <summary>
/// Links a CancellationToken to an MLContext. ML.NET checks its own flag between trees, but only exposes
/// the switch (MLContext.CancelExecution) internally or through Microsoft.ML.Experimental, which is not
/// available here; so it is called by reflection. A cancelled context cannot be reused: one context per run.
/// </summary>
internal static class MlContextCancellation
{
    private static readonly MethodInfo? CancelExecution =
        typeof(MLContext).GetMethod("CancelExecution", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, Type.EmptyTypes);

    /// <summary>True when this ML.NET build still has the hook (a test guards it).</summary>
    public static bool IsSupported => CancelExecution is not null;

    public static CancellationTokenRegistration Link(MLContext context, CancellationToken cancellationToken) =>
        cancellationToken.Register(static state => CancelExecution?.Invoke(state, null), context);
}
