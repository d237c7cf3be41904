namespace LynqDashboard.Core.Access;

/// <summary>
/// The four roles, each including the ones below it: Viewer (see everything, use the scoring form), Trainer
/// (+ start, cancel and retry jobs, edit notes), Approver (+ promote and roll back), Admin (+ users, roles, API
/// keys, the job dashboard). A person holds one of them.
/// </summary>
public static class LynqRoles
{
    public const string Viewer = "Viewer";
    public const string Trainer = "Trainer";
    public const string Approver = "Approver";
    public const string Admin = "Admin";

    /// <summary>Lowest first.</summary>
    public static IReadOnlyList<string> All { get; } = [Viewer, Trainer, Approver, Admin];

    /// <summary>The roles that include <paramref name="required"/> (it and every higher one).</summary>
    public static IReadOnlyList<string> AtLeast(string required)
    {
        var rank = Rank(required);
        return rank < 0 ? throw new ArgumentException($"'{required}' is not a role.", nameof(required)) : [.. All.Skip(rank)];
    }

    /// <summary>True when someone holding <paramref name="held"/> may do what <paramref name="required"/> may.</summary>
    public static bool Includes(string? held, string required) => held is not null && Rank(held) >= 0 && Rank(held) >= Rank(required);

    /// <summary>The highest of <paramref name="roles"/>; null when none is a role.</summary>
    public static string? Highest(IEnumerable<string> roles) => roles.Where(r => Rank(r) >= 0).OrderByDescending(Rank).FirstOrDefault();

    public static bool IsRole(string? name) => name is not null && Rank(name) >= 0;

    private static int Rank(string role) => All.ToList().FindIndex(r => string.Equals(r, role, StringComparison.Ordinal));
}
