namespace Mindora.Integrations.Files;

/// <summary>
/// Deletes orphaned blob files after the operation that orphaned them has answered: unlinking a
/// large file (the replaced version of an unversioned object) takes as long as writing a fair part
/// of it, and the caller need not wait for it. The catalog records each orphan in the committing
/// transaction; a reap deletes the file, then the record, so a crash at any point leaves a record
/// that the next reap (the next write of this app in any process, or the first bucket check) finishes.
/// </summary>
internal sealed class OrphanReaper(SqliteDatabase database, string app, Func<string, string, string> blobPath, FilesTelemetry telemetry) : IDisposable
{
    private const int Batch = 500;

    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Task _running = Task.CompletedTask;
    private bool _active;
    private bool _again;

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
        var orphans = await database.ReadAsync((session, ct) => FilesCatalog.RecordedOrphansAsync(session, app, Batch, ct), cancellationToken);
        if (orphans.Count == 0)
        {
            return 0;
        }

        using var step = telemetry.Step("reap");

        foreach (var (bucket, blob, referenced) in orphans)
        {
            // Referenced again: a restore or copy took the blob between the orphaning commit and now.
            if (!referenced)
            {
                TryDelete(blobPath(bucket, blob));
            }
        }

        await database.WriteAsync(
            async (session, ct) =>
            {
                await FilesCatalog.ForgetOrphansAsync(session, app, orphans, ct);
                return true;
            },
            cancellationToken);
        return orphans.Count;
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
