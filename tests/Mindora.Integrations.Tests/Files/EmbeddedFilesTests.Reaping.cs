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
    public async Task A_restore_whose_source_is_deleted_for_good_and_reaped_before_it_commits_is_not_found_and_adds_nothing()
    {
        var (files, other) = await OpenTwoAsync();
        var first = await files.UploadAsync("b", "k", new MemoryStream([1, 1]));
        await files.UploadAsync("b", "k", new MemoryStream([2, 2]));
        files.BeforeSharedCommit = DeleteOnceAsync(other, "k", first.VersionId);

        var error = await Assert.ThrowsAsync<MindoraNotFoundException>(() => files.RestoreVersionAsync("b", "k", first.VersionId));

        Assert.Contains(first.VersionId, error.Message, StringComparison.Ordinal);
        Assert.Single(await files.ListVersionsAsync("b", "k"));
        Assert.Equal([2, 2], await ReadAllAsync(await files.DownloadAsync("b", "k")));
    }

    [Fact]
    public async Task A_copy_whose_source_is_deleted_for_good_and_reaped_before_it_commits_is_not_found_and_writes_no_target()
    {
        var (files, other) = await OpenTwoAsync();
        var source = await files.UploadAsync("b", "source", new MemoryStream([7, 7, 7]));
        files.BeforeSharedCommit = DeleteOnceAsync(other, "source", source.VersionId);

        var error = await Assert.ThrowsAsync<MindoraNotFoundException>(() => files.CopyAsync("b", "source", "b", "target"));

        Assert.Contains("source", error.Message, StringComparison.Ordinal);
        Assert.Empty(await files.ListVersionsAsync("b", "target"));
        Assert.Empty(AppBlobs(files.App));
    }

    [Fact]
    public async Task A_copy_whose_current_source_is_deleted_for_good_and_reaped_copies_the_version_now_current()
    {
        var (files, other) = await OpenTwoAsync();
        var first = await files.UploadAsync("b", "source", new MemoryStream([1]));
        var newest = await files.UploadAsync("b", "source", new MemoryStream([3]));
        files.BeforeSharedCommit = DeleteOnceAsync(other, "source", newest.VersionId);

        var copy = await files.CopyAsync("b", "source", "b", "target");

        Assert.Equal(first.Sha256, copy.Sha256);
        Assert.Equal([1], await ReadAllAsync(await files.DownloadAsync("b", "target")));
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

    /// <summary>Two providers of one app on one directory, as two processes, with bucket "b".</summary>
    private async Task<(EmbeddedFilesProvider Files, EmbeddedFilesProvider Other)> OpenTwoAsync()
    {
        var app = NewApp();
        var files = (EmbeddedFilesProvider)Open(app);
        await files.EnsureBucketAsync("b");
        return (files, (EmbeddedFilesProvider)Open(app));
    }

    /// <summary>A hook that deletes a version for good through another provider and waits for its reap, the first time only.</summary>
    private static Func<Task> DeleteOnceAsync(EmbeddedFilesProvider other, string key, string versionId)
    {
        var done = 0;
        return async () =>
        {
            if (Interlocked.Exchange(ref done, 1) == 0)
            {
                Assert.True(await other.DeleteVersionAsync("b", key, versionId));
                await other.OrphansReapedAsync();
            }
        };
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
