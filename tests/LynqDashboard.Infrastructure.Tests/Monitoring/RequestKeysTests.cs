using CsCheck;
using LynqDashboard.Infrastructure.Registry;

namespace LynqDashboard.Infrastructure.Tests.Monitoring;

/// <summary>
/// The ledger's request keys: ids that start with a version-7 UUID key in time order (so the index is appended to),
/// every other id keys by its hash as before, and a lookup's candidates always include the hash older rows carry.
/// </summary>
public sealed class RequestKeysTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TimeOrderedIds_KeyInTheOrderOfTheirMilliseconds_InBothForms_AndForBatchItems()
    {
        Gen.Select(Gen.Long[0, 1_000_000_000], Gen.Long[1, 1_000_000], Gen.Int[0, 9_999]).Sample((offset, later, index) =>
        {
            var first = Guid.CreateVersion7(Start.AddMilliseconds(offset));
            var second = Guid.CreateVersion7(Start.AddMilliseconds(offset + later));
            var key = RequestKeys.Of(first.ToString("N"));

            Assert.True(key > 0, "keys of this era are positive");
            Assert.True(RequestKeys.Of(second.ToString("N")) > key, "a later millisecond keys higher");
            Assert.True(RequestKeys.Of(second.ToString()) > RequestKeys.Of(first.ToString()), "the dashed form too");
            Assert.Equal(key >> 12, RequestKeys.Of($"{first:N}-{index}") >> 12); // a batch item keys beside its request
            Assert.Equal(key >> 12, RequestKeys.Of(first.ToString("D").ToUpperInvariant()) >> 12);
        });
    }

    [Theory]
    [InlineData("req-42")]
    [InlineData("sim-3-17")]
    [InlineData("0123456789abcdef0123456789abcdef")] // hex, but version 0
    [InlineData("0190f1c2e3a44b5c8d9e0f1a2b3c4d5e")] // a version-4 layout
    [InlineData("0190f1c2e3a47b5c8d9e0f1a2b3c4d5")] // 31 digits
    [InlineData("0190f1c2e3a47b5c8d9e0f1a2b3c4d5ex")] // a 33rd character that is not '-'
    [InlineData("0190f1c2e3a47b5c8d9e0f1a2b3c4d5g")] // not hex
    [InlineData("")]
    public void OtherIds_KeyByTheirHash_AsBefore(string id)
    {
        Assert.Equal(RequestKeys.Hash(id), RequestKeys.Of(id));
        Assert.Equal([RequestKeys.Hash(id)], RequestKeys.Candidates(id));
    }

    [Fact]
    public void Candidates_OfATimeOrderedId_AreItsKeyAndTheHashOlderRowsCarry()
    {
        var id = Guid.CreateVersion7().ToString("N");

        Assert.Equal([RequestKeys.Of(id), RequestKeys.Hash(id)], RequestKeys.Candidates(id));
        Assert.NotEqual(RequestKeys.Of(id), RequestKeys.Hash(id));
    }
}
