using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAloneDefinition
{
    public const string Name = "Memory sensitive (runs alone)";
}

[Collection(RunsAloneDefinition.Name)]
public sealed class FilesMemoryTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public async Task A_50_MB_upload_streams_without_buffering_it_in_memory()
    {
        const long size = 50L * 1024 * 1024;
        using var files = Stores.Files(temp.NewStoreDirectory());
        await files.EnsureBucketAsync("b");
        await files.UploadAsync("b", "warm-up", new PatternStream(1024)); // JIT and pools outside the measurement

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var info = await files.UploadAsync("b", "large.bin", new PatternStream(size));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(size, info.Size);
        Assert.True(allocated < 8L * 1024 * 1024, $"Uploading 50 MB allocated {allocated:N0} bytes.");

        await using var download = await files.DownloadAsync("b", "large.bin");
        var buffer = new byte[81920];
        long position = 0;
        int read;
        while ((read = await download.Content.ReadAsync(buffer)) > 0)
        {
            for (var i = 0; i < read; i += 4099)
            {
                Assert.Equal(PatternStream.ByteAt(position + i, 7), buffer[i]);
            }

            position += read;
        }

        Assert.Equal(size, position);
    }
}
