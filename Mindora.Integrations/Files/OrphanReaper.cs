namespace Mindora.Integrations.Files;

/// <summary>
/// Deletes orphaned blob files after the operation that orphaned them has answered: unlinking a
/// large file (the replaced version of an unversioned object) takes as long as writing a fair part
/// of it, and the caller need not wait for it. The catalog records each orphan in the committing
/// transaction; a reap claims the unreferenced ones (renames them to a trash name and forgets
/// their records in one write transaction), then unlinks them. A crash before the commit leaves
/// the records for the next reap; a crash after it leaves trash files that the next provider sweeps.
/// </summary>
internal sealed class OrphanReaper(SqliteDatabase database, string app, string blobRoot, FilesTelemetry telemetry) : IDisposable
{
    private const int Batch = 500;

    /// <summary>Suffix of a blob the reaper has claimed: no version names it; it is unlinked after the claim commits.</summary>
    public const string TrashSuffix = ".trash";

    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Task _running = Task.CompletedTask;
    private bool _active;
    private bool _again;
    private bool _sweep;

    /// <summary>Reaps soon, on a pool thread; a reap already running goes round once more.</summary>
    public void Signal()
    {
        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            if (_active)
            {
                _again = true;
                return;
            }

            _active = true;
            _running = Task.Run(RunAsync);
        }
    }

    /// <summary>Reaps soon and first sweeps the trash a crashed process may have left (once per provider, off the caller's path).</summary>
    public void SignalFirst()
    {
        lock (_gate)
        {
            _sweep = true;
        }

        Signal();
    }

    /// <summary>Completes when no reap is running (tests and the bench wait on it).</summary>
    public Task IdleAsync()
    {
        lock (_gate)
        {
            return _running;
        }
    }

    public void Dispose()
    {
        Task running;
        lock (_gate)
        {
            _stop.Cancel();
            running = _running;
        }

        // The database closes next: let a reap in flight finish its statement (what it leaves is recorded).
        running.ContinueWith(_ => { }, TaskScheduler.Default).Wait(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (true)
        {
            bool sweep;
            lock (_gate)
            {
                (sweep, _sweep) = (_sweep, false);
            }

            if (sweep)
            {
                SweepTrash();
            }

            try
            {
                while (await ReapBatchAsync(_stop.Token) == Batch)
                {
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Disposing: what is left stays recorded.
            }
            catch (MindoraException)
            {
                // The store is unavailable or busy: the records stay for the next signal.
            }

            lock (_gate)
            {
                if (!_again || _stop.IsCancellationRequested)
                {
                    _active = false;
                    return;
                }

                _again = false;
            }
        }
    }

    private async Task<int> ReapBatchAsync(CancellationToken cancellationToken)
    {
        using var step = telemetry.Step("reap");
        var trashed = new List<(string Blob, string Trash)>();
        int recorded;
        try
        {
            // The decision and the rename happen under the write lock: a copy or restore that
            // shares a blob commits under the same lock after checking the file is there, so a
            // blob is either referenced again before the rename (and kept) or gone before the
            // commit (which then fails as not found), never renamed under a committed version.
            recorded = await database.WriteAsync(
                async (session, ct) =>
                {
                    var orphans = await FilesCatalog.RecordedOrphansAsync(session, app, Batch, ct);
                    foreach (var (bucket, blob, referenced) in orphans)
                    {
                        if (!referenced && MoveToTrash(BlobPath(bucket, blob)) is { } trash)
                        {
                            trashed.Add((BlobPath(bucket, blob), trash));
                        }
                    }

                    await FilesCatalog.ForgetOrphansAsync(session, app, orphans, ct);
                    return orphans.Count;
                },
                cancellationToken);
        }
        catch
        {
            // The records stay; put the files back so they stay what the records say.
            foreach (var (blob, trash) in trashed)
            {
                TryMove(trash, blob);
            }

            throw;
        }

        foreach (var (_, trash) in trashed)
        {
            TryDelete(trash);
        }

        return recorded;
    }

    private string BlobPath(string bucket, string blob) => Path.Combine(blobRoot, bucket, blob);

    /// <summary>
    /// Renames a blob to its trash name, returning that name when the trash file exists (also
    /// when an earlier attempt of the same transaction renamed it already).
    /// </summary>
    private static string? MoveToTrash(string blob)
    {
        var trash = blob + TrashSuffix;
        TryMove(blob, trash);
        return File.Exists(trash) ? trash : null;
    }

    private static void TryMove(string from, string to)
    {
        try
        {
            File.Move(from, to);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Already moved, or never there: the caller checks what exists.
        }
    }

    /// <summary>
    /// Deletes trash files a process left when it died between a reap's commit and its unlinks.
    /// Their records are gone and no version can name them (a version names only blob names).
    /// </summary>
    private void SweepTrash()
    {
        if (!Directory.Exists(blobRoot))
        {
            return;
        }

        try
        {
            foreach (var trash in Directory.EnumerateFiles(blobRoot, "*" + TrashSuffix, SearchOption.AllDirectories))
            {
                TryDelete(trash);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A bucket directory went away while listing: what is left is swept next start.
        }
    }

    /// <summary>Best effort: a blob that cannot be deleted wastes space but is never visible.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left on disk, invisible.
        }
    }
}
