namespace LynqDashboard.Core.Reports;

/// <summary>
/// One piece of the report as both renderers understand it: the outline turns <see cref="ModelReportContent"/> into
/// these, so the wording lives in one place and the PDF and HTML only lay them out.
/// </summary>
public abstract record ReportBlock;

/// <summary>A section title (level 1) or a sub-title (level 2).</summary>
public sealed record ReportHeading(string Text, int Level = 1) : ReportBlock;

/// <summary>A paragraph; <paramref name="Warning"/> draws it as an alert (leakage, failed gates).</summary>
public sealed record ReportParagraph(string Text, bool Warning = false) : ReportBlock;

/// <summary>A bulleted list.</summary>
public sealed record ReportList(IReadOnlyList<string> Items) : ReportBlock;

/// <summary>A table of text cells; every row has one cell per column.</summary>
/// <param name="Columns">Header cells.</param>
/// <param name="Rows">Body rows.</param>
/// <param name="Widths">Relative column widths (null: equal).</param>
public sealed record ReportTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlyList<double>? Widths = null) : ReportBlock;

/// <summary>The whole report: a title, a subtitle line, and the blocks in reading order.</summary>
/// <param name="Title">"LYNQ credit-risk model v3: documentation pack".</param>
/// <param name="Subtitle">Status, dates, who trained it.</param>
/// <param name="Blocks">Sections in the order the issue lists them.</param>
public sealed record ReportDocument(string Title, string Subtitle, IReadOnlyList<ReportBlock> Blocks);
