using System.Security.Cryptography;

namespace LynqDashboard.Web.Security;

/// <summary>Random passwords for a first Admin or a reset: shown once, changed at the next sign-in.</summary>
public static class OneTimePassword
{
    // No look-alikes (0/O, 1/l/I) so a password read off a console can be typed.
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Digits = "23456789";

    /// <summary>A password of <paramref name="length"/> characters with upper- and lower-case letters and digits.</summary>
    public static string Create(int length = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 12);
        var chars = RandomNumberGenerator.GetString(Lower + Upper + Digits, length - 3).ToCharArray().ToList();
        foreach (var set in new[] { Lower, Upper, Digits })
        {
            chars.Insert(RandomNumberGenerator.GetInt32(chars.Count + 1), set[RandomNumberGenerator.GetInt32(set.Length)]);
        }

        return new string([.. chars]);
    }
}
