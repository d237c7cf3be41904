using System.Text;

namespace LynqDashboard.Core.Challengers;

/// <summary>
/// Which arm of an A/B split a wallet meets: a stable hash (FNV-1a, 64-bit, over the trimmed lower-case address) into
/// 10,000 buckets, so the same wallet always meets the same arm, on every node and after every restart, and a share can
/// be set to a hundredth of a percent. An application without a wallet address meets the champion.
/// </summary>
public static class WalletSplit
{
    public const int Buckets = 10_000;

    /// <summary>Smallest and largest share of wallets a challenger may answer, in percent.</summary>
    public const double MinPercent = 0.1;

    public const double MaxPercent = 50;

    /// <summary>The wallet's bucket, 0–9,999; null without an address.</summary>
    public static int? BucketOf(string? walletAddress)
    {
        if (string.IsNullOrWhiteSpace(walletAddress))
        {
            return null;
        }

        const ulong offset = 14695981039346656037;
        const ulong prime = 1099511628211;
        var hash = offset;
        foreach (var b in Encoding.UTF8.GetBytes(walletAddress.Trim().ToLowerInvariant()))
        {
            hash = (hash ^ b) * prime;
        }

        return (int)(hash % Buckets);
    }

    /// <summary>True when the wallet's bucket falls in the challenger's <paramref name="percent"/>.</summary>
    public static bool IsChallenger(string? walletAddress, double percent) =>
        BucketOf(walletAddress) is { } bucket && bucket < (int)Math.Round(percent * (Buckets / 100.0));

    /// <summary>Why a share is unusable, or null.</summary>
    public static string? Problem(double percent) =>
        double.IsNaN(percent) || percent < MinPercent || percent > MaxPercent
            ? $"must be between {MinPercent} and {MaxPercent} (percent of wallets answered by the challenger)"
            : Math.Round(percent, 2) != percent ? "may have at most two decimals (the split has 10,000 buckets)" : null;
}
