using LynqDashboard.Core.Data;

namespace LynqDashboard.Core.Tests.Data;

public sealed class CsvHeaderTests
{
    [Fact]
    public void Map_NamesAreMatchedWithoutCaseOrSpaces()
    {
        var errors = new List<DatasetError>();

        var header = CsvHeader.Map([" Loan_Amount ", "note"], ["loan_amount"], errors);

        Assert.Empty(errors);
        Assert.Equal(0, header.IndexOf("loan_amount"));
        Assert.Equal(-1, header.IndexOf("term_months"));
        Assert.Equal("note", header.NameAt(1));
        Assert.Equal("7", header.NameAt(6));
    }

    [Fact]
    public void Map_EveryProblem_IsOnTheHeaderLineWithItsColumn()
    {
        var errors = new List<DatasetError>();

        CsvHeader.Map(["a", "", "A", "b"], ["a", "c", "d"], errors);

        Assert.Equal(
            ["line 1, column 2: the header name is blank; every column needs a name",
             "line 1, column A: the column appears twice in the header (columns 1 and 3)",
             "line 1, column c, d: missing column(s): c, d"],
            errors.Select(e => e.ToString()));
    }
}
