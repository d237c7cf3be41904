using PdfSharp.Drawing;

namespace LynqDashboard.Infrastructure.Reports;

/// <summary>The report's type sizes, all DejaVu Sans (<see cref="EmbeddedFontResolver"/>).</summary>
internal sealed class PdfFonts
{
    public XFont Title { get; } = new(EmbeddedFontResolver.Family, 17, XFontStyleEx.Bold);
    public XFont Heading { get; } = new(EmbeddedFontResolver.Family, 13, XFontStyleEx.Bold);
    public XFont Subheading { get; } = new(EmbeddedFontResolver.Family, 10.5, XFontStyleEx.Bold);
    public XFont Body { get; } = new(EmbeddedFontResolver.Family, 9.5, XFontStyleEx.Regular);
    public XFont Strong { get; } = new(EmbeddedFontResolver.Family, 9, XFontStyleEx.Bold);
    public XFont Small { get; } = new(EmbeddedFontResolver.Family, 8, XFontStyleEx.Regular);
    public XFont SmallStrong { get; } = new(EmbeddedFontResolver.Family, 8, XFontStyleEx.Bold);
    public XFont Tiny { get; } = new(EmbeddedFontResolver.Family, 7, XFontStyleEx.Regular);
}
