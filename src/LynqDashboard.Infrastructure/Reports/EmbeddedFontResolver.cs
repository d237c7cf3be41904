using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace LynqDashboard.Infrastructure.Reports;

/// <summary>
/// PDFsharp's fonts from inside this assembly (DejaVu Sans regular and bold): on Linux PDFsharp finds no system font by
/// itself, and a server or container may have none installed. Every family asked for is drawn in DejaVu Sans.
/// </summary>
internal sealed class EmbeddedFontResolver : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private const string Regular = "DejaVuSans";
    private const string Bold = "DejaVuSans-Bold";

    private static readonly Lock Gate = new();
    private static readonly EmbeddedFontResolver Instance = new();
    private readonly ConcurrentDictionary<string, byte[]> _faces = new(StringComparer.Ordinal);

    /// <summary>
    /// Installs the resolver once per process. GlobalFontSettings is static and refuses a second, different resolver once
    /// a font was used, so concurrent report writers all pass through here and only the first sets it.
    /// </summary>
    public static void EnsureInstalled()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is null)
            {
                GlobalFontSettings.FontResolver = Instance;
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? Bold : Regular, mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName) => _faces.GetOrAdd(faceName, Load);

    private static byte[] Load(string faceName)
    {
        var name = $"LynqDashboard.Infrastructure.Reports.Fonts.{faceName}.ttf";
        using var stream = typeof(EmbeddedFontResolver).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The font {name} is not embedded in {typeof(EmbeddedFontResolver).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
