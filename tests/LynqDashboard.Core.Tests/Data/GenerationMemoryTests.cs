using LynqDashboard.Core.Data;

namespace LynqDashboard.Core.Tests.Data;

[CollectionDefinition(nameof(MemorySensitive), DisableParallelization = true)]
public sealed class MemorySensitive;

[Collection(nameof(MemorySensitive))]
public sealed class GenerationMemoryTests
{
    [Fact]
    public async Task WriteCsv_TenTimesTheRows_AllocatesAboutTheSame()
    {
        await AllocatedAsync(50_000); // warm-up: calibration, JIT
        var small = await AllocatedAsync(200_000);
        var large = await AllocatedAsync(2_000_000);

        // Buffers are reused chunk after chunk: ten times the rows must not mean ten times the memory.
        Assert.True(large < (small * 2) + (16 << 20), $"200k rows allocated {small:N0} bytes, 2M rows {large:N0} bytes");
    }

    private static async Task<long> AllocatedAsync(int rows)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await new DatasetGenerator(new DatasetParameters(rows, 9)).WriteCsvAsync(Stream.Null);
        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }
}
