using System.Security.Cryptography;
using Mindora.Integrations.Files;

namespace Mindora.Integrations.Tests.Files;

/// <summary>
/// Blobs shared between versions (copies, restores) against deletes for good and the orphan
/// reaper, with two providers on one directory as two processes of one machine.
/// </summary>
public sealed partial class EmbeddedFilesTests
{
    [Fact]
    public async Task Copies_and_restores_racing_a_delete_for_good_of_their_source_end_readable_or_not_found()
    {
        var app = NewApp();
        var copier = (EmbeddedFilesProvider)Open(app);
        var deleter = (EmbeddedFilesProvider)Open(app);
        await copier.EnsureBucketAsync("b");
        var outcomes = new List<string>();
        for (var round = 0; round < 60; round++)
        {
            var content = RandomNumberGenerator.GetBytes(64 + round);
            var source = await copier.UploadAsync("b", $"source-{round}", new MemoryStream(content));
            await copier.UploadAsync("b", $"source-{round}", new MemoryStream([0])); // the source is now an earlier version
            var current = await copier.UploadAsync("b", $"current-{round}", new MemoryStream(content));

            var restore = Task.Run(() => copier.RestoreVersionAsync("b", $"source-{round}", source.VersionId));
            var copy = Task.Run(() => copier.CopyAsync("b", $"current-{round}", "b", $"copy-{round}"));
            var deletes = Task.Run(async () =>
            {
                await deleter.DeleteVersionAsync("b", $"source-{round}", source.VersionId);
                await deleter.DeleteVersionAsync("b", $"current-{round}", current.VersionId);
                await deleter.OrphansReapedAsync();
            });
            await deletes;

            outcomes.Add(await ReadableOrNotFoundAsync(restore, copier, content));
            outcomes.Add(await ReadableOrNotFoundAsync(copy, copier, content));
        }

        await copier.OrphansReapedAsync();
        Assert.All(outcomes, o => Assert.True(o is "readable" or "not found", o));
        Assert.DoesNotContain(AppBlobs(app), b => b.EndsWith(OrphanReaper.TrashSuffix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Trash_left_by_a_process_killed_during_a_reap_is_swept_by_the_next_provider()
    {
        var app = NewApp();
        var files = Open(app);
        await files.EnsureBucketAsync("b");
        await files.UploadAsync("b", "kept", new MemoryStream([7]));
        var trash = Path.Combine(_directory, "blobs", app, "b", Guid.NewGuid().ToString("N") + OrphanReaper.TrashSuffix);
        await File.WriteAllBytesAsync(trash, new byte[100]);

        var next = (EmbeddedFilesProvider)Open(app);
        Assert.True(await next.ExistsAsync("b", "kept"));
        await next.OrphansReapedAsync();

        Assert.False(File.Exists(trash));
        Assert.Equal([7], await ReadAllAsync(await next.DownloadAsync("b", "kept")));
    }

    /// <summary>What became of a copy or restore: its version reads back the source's bytes, or it failed as not found.</summary>
    private static async Task<string> ReadableOrNotFoundAsync(Task<ObjectInfo> operation, EmbeddedFilesProvider files, byte[] expected)
    {
        ObjectInfo info;
        try
        {
            info = await operation;
        }
        catch (MindoraNotFoundException)
        {
            return "not found";
        }

        try
        {
            var read = await ReadAllAsync(await files.DownloadAsync(info.Bucket, info.Key, new DownloadOptions { VersionId = info.VersionId }));
            return read.AsSpan().SequenceEqual(expected) ? "readable" : $"{info.Key}: other bytes";
        }
        catch (MindoraException e)
        {
            return $"{info.Key}: committed but unreadable ({e.Message})";
        }
    }
}
