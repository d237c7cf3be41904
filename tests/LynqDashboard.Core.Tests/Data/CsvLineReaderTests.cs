using LynqDashboard.Core.Data;

namespace LynqDashboard.Core.Tests.Data;

public sealed class CsvLineReaderTests
{
    [Fact]
    public void Read_EveryLineEnd_BlankLinesSkipped_LineNumbersKept()
    {
        var reader = new CsvLineReader(new StringReader("a,b\r\n\nc,\rd,\"e,\"\"f\"\"\"\n"), 100);

        var lines = ReadAll(reader);

        Assert.Equal(
            [(1L, "a|b"), (3L, "c|"), (4L, "d|e,\"f\"")],
            lines.Select(l => (l.Line, string.Join('|', l.Cells))));
    }

    [Fact]
    public void Read_LineOverTheCap_IsAProblemAndTheNextLineIsRead()
    {
        var reader = new CsvLineReader(new StringReader($"{new string('x', 50_000)}\nok\n"), 1_000);
        var cells = new List<string>();

        Assert.True(reader.Read(cells, out var problem));
        Assert.Contains("longer than 1,000 characters", problem!.Message, StringComparison.Ordinal);
        Assert.True(reader.Read(cells, out problem));
        Assert.Null(problem);
        Assert.Equal(["ok"], cells);
        Assert.Equal(2, reader.LineNumber);
        Assert.False(reader.Read(cells, out _));
    }

    [Theory]
    [InlineData("a,\"b", 1, "the quote opened at character 3 is not closed on this line")]
    [InlineData("a,b\"c", 1, "a quote at character 4 is inside an unquoted cell")]
    [InlineData("\"a\"b,c", 0, "the closing quote at character 3 must be followed by a comma")]
    public void Read_MalformedQuote_SaysWhichCellAndWhere(string line, int cell, string message)
    {
        var reader = new CsvLineReader(new StringReader(line + "\nnext"), 100);
        var cells = new List<string>();

        Assert.True(reader.Read(cells, out var problem));
        Assert.Equal(cell, problem!.Cell);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
        Assert.Empty(cells);
        Assert.True(reader.Read(cells, out problem));
        Assert.Equal(["next"], cells);
    }

    private static List<(long Line, List<string> Cells)> ReadAll(CsvLineReader reader)
    {
        var all = new List<(long, List<string>)>();
        var cells = new List<string>();
        while (reader.Read(cells, out var problem))
        {
            Assert.Null(problem);
            all.Add((reader.LineNumber, [.. cells]));
        }

        return all;
    }
}
