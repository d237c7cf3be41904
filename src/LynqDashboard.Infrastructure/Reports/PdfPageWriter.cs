using LynqDashboard.Core.Reports;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace LynqDashboard.Infrastructure.Reports;

/// <summary>Flows blocks down A4 pages, starting a new page when the next piece does not fit; each page carries a footer.</summary>
internal sealed class PdfPageWriter : IDisposable
{
    private const double Margin = 48, ChartHeight = 215, Gap = 10;
    private static readonly XColor HeaderFill = XColor.FromArgb(0xf0, 0xf0, 0xf0);
    private static readonly XColor WarningFill = XColor.FromArgb(0xff, 0xeb, 0xee);
    private static readonly XColor WarningText = XColor.FromArgb(0xb7, 0x1c, 0x1c);

    private readonly PdfDocument _pdf;
    private readonly string _footer;
    private readonly PdfFonts _fonts = new();
    private readonly XPen _rule = new(XColor.FromArgb(0xbd, 0xbd, 0xbd), 0.5);
    private XGraphics _gfx = null!;
    private double _y, _width, _bottom;

    // Charts go two to a row: the top of the row whose right half is still free, or null.
    private double? _chartRowTop;

    public PdfPageWriter(PdfDocument pdf, string footer)
    {
        (_pdf, _footer) = (pdf, footer);
        NewPage();
    }

    public void Title(string title, string subtitle)
    {
        Lines(title, _fonts.Title, XBrushes.Black, 0);
        Lines(subtitle, _fonts.Small, XBrushes.DimGray, 4);
        _gfx.DrawLine(_rule, Margin, _y, Margin + _width, _y);
        _y += Gap;
    }

    public void Write(ReportBlock block)
    {
        if (block is not (XyChart or BarChart))
        {
            EndChartRow();
        }

        switch (block)
        {
            case ReportHeading h when h.Level <= 1:
                Room(60);
                _y += 6;
                Lines(h.Text, _fonts.Heading, XBrushes.Black, 2);
                _gfx.DrawLine(_rule, Margin, _y, Margin + _width, _y);
                _y += 5;
                break;
            case ReportHeading h:
                Room(40);
                _y += 3;
                Lines(h.Text, _fonts.Subheading, XBrushes.Black, 3);
                break;
            case ReportParagraph { Warning: true } p:
                var lines = Wrap(p.Text, _fonts.Body, _width - 12);
                var height = (lines.Count * LineHeight(_fonts.Body)) + 8;
                Room(height);
                _gfx.DrawRectangle(new XSolidBrush(WarningFill), Margin, _y, _width, height);
                _gfx.DrawRectangle(new XSolidBrush(WarningText), Margin, _y, 3, height);
                DrawLines(lines, _fonts.Body, new XSolidBrush(WarningText), Margin + 8, _y + 4);
                _y += height + 6;
                break;
            case ReportParagraph p:
                Lines(p.Text, _fonts.Body, XBrushes.Black, 6);
                break;
            case ReportList list:
                foreach (var item in list.Items)
                {
                    var wrapped = Wrap(item, _fonts.Body, _width - 12);
                    Room(wrapped.Count * LineHeight(_fonts.Body));
                    _gfx.DrawString("•", _fonts.Body, XBrushes.Black, new XPoint(Margin + 2, _y), XStringFormats.TopLeft);
                    DrawLines(wrapped, _fonts.Body, XBrushes.Black, Margin + 12, _y);
                    _y += (wrapped.Count * LineHeight(_fonts.Body)) + 3;
                }

                _y += 4;
                break;
            case ReportTable table:
                Table(table);
                break;
            case XyChart or BarChart:
                Chart(block);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(block), block.GetType().Name, "The PDF report cannot draw this block.");
        }
    }

    public void Dispose()
    {
        EndChartRow();
        _gfx.Dispose();
    }

    private void Chart(ReportBlock chart)
    {
        var half = (_width - Gap) / 2;
        double left;
        if (_chartRowTop is { } top)
        {
            left = Margin + half + Gap;
            _y = top;
            _chartRowTop = null;
        }
        else
        {
            Room(ChartHeight);
            left = Margin;
            _chartRowTop = _y;
        }

        var box = new XRect(left, _y, half, ChartHeight);
        if (chart is XyChart xy)
        {
            PdfChart.Xy(_gfx, xy, box, _fonts);
        }
        else
        {
            PdfChart.Bars(_gfx, (BarChart)chart, box, _fonts);
        }

        if (_chartRowTop is null)
        {
            _y += ChartHeight + Gap;
        }
    }

    private void EndChartRow()
    {
        if (_chartRowTop is { } top)
        {
            _y = top + ChartHeight + Gap;
            _chartRowTop = null;
        }
    }

    private void Table(ReportTable table)
    {
        var weights = table.Widths ?? [.. table.Columns.Select(_ => 1.0)];
        var total = weights.Sum();
        var widths = weights.Select(w => _width * w / total).ToArray();
        Row(table.Columns, widths, _fonts.SmallStrong, header: true, onNewPage: null);
        foreach (var row in table.Rows)
        {
            Row(row, widths, _fonts.Small, header: false, onNewPage: () => Row(table.Columns, widths, _fonts.SmallStrong, header: true, onNewPage: null));
        }

        _y += 8;
    }

    private void Row(IReadOnlyList<string> cells, double[] widths, XFont font, bool header, Action? onNewPage)
    {
        const double pad = 3;
        var wrapped = cells.Select((c, i) => Wrap(c, font, widths[i] - (2 * pad))).ToList();
        var height = (wrapped.Max(w => w.Count) * LineHeight(font)) + (2 * pad);
        if (_y + height > _bottom)
        {
            NewPage();
            onNewPage?.Invoke();
        }
        else if (header)
        {
            Room(height * 3); // a header never sits alone at the foot of a page
        }

        var x = Margin;
        for (var i = 0; i < widths.Length; i++)
        {
            var cell = new XRect(x, _y, widths[i], height);
            if (header)
            {
                _gfx.DrawRectangle(new XSolidBrush(HeaderFill), cell);
            }

            _gfx.DrawRectangle(_rule, cell);
            DrawLines(wrapped[i], font, XBrushes.Black, x + pad, _y + pad);
            x += widths[i];
        }

        _y += height;
    }

    private void Lines(string text, XFont font, XBrush brush, double after)
    {
        foreach (var line in Wrap(text, font, _width))
        {
            Room(LineHeight(font));
            _gfx.DrawString(line, font, brush, new XPoint(Margin, _y), XStringFormats.TopLeft);
            _y += LineHeight(font);
        }

        _y += after;
    }

    private void DrawLines(IReadOnlyList<string> lines, XFont font, XBrush brush, double x, double y)
    {
        foreach (var line in lines)
        {
            _gfx.DrawString(line, font, brush, new XPoint(x, y), XStringFormats.TopLeft);
            y += LineHeight(font);
        }
    }

    // Words fill each line; a word wider than the line (a SHA-256) is cut where it must be.
    private List<string> Wrap(string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in (string.IsNullOrEmpty(text) ? " " : text).Split('\n'))
        {
            var line = string.Empty;
            foreach (var word in paragraph.Split(' '))
            {
                var candidate = line.Length == 0 ? word : $"{line} {word}";
                if (_gfx.MeasureString(candidate, font).Width <= width)
                {
                    line = candidate;
                    continue;
                }

                if (line.Length > 0)
                {
                    lines.Add(line);
                }

                line = word;
                while (line.Length > 1 && _gfx.MeasureString(line, font).Width > width)
                {
                    var fits = line.Length - 1;
                    while (fits > 1 && _gfx.MeasureString(line[..fits], font).Width > width)
                    {
                        fits--;
                    }

                    lines.Add(line[..fits]);
                    line = line[fits..];
                }
            }

            lines.Add(line);
        }

        return lines;
    }

    private void Room(double height)
    {
        if (_y + height > _bottom)
        {
            NewPage();
        }
    }

    private void NewPage()
    {
        _gfx?.Dispose();
        var page = _pdf.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        _gfx = XGraphics.FromPdfPage(page);
        _width = page.Width.Point - (2 * Margin);
        _bottom = page.Height.Point - Margin;
        _y = Margin;
        _chartRowTop = null;
        _gfx.DrawString($"{_footer} · page {_pdf.PageCount}", _fonts.Tiny, XBrushes.DimGray, new XPoint(Margin, page.Height.Point - (Margin / 2)), XStringFormats.CenterLeft);
    }

    private static double LineHeight(XFont font) => font.Size * 1.3;
}
