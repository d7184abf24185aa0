using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Mindora.Integrations.Files;

/// <summary>
/// Starts the disk writes of a file being filled, slice by slice (Linux <c>sync_file_range</c>
/// with <c>SYNC_FILE_RANGE_WRITE</c>: start writeback, do not wait), so the fsync at the end waits
/// for the last slices only instead of flushing the whole object at once. It adds no durability
/// on its own: the caller still fsyncs before the file becomes visible. Elsewhere it does nothing.
/// </summary>
internal sealed class EarlyWriteback(SafeFileHandle file)
{
    private const long SliceBytes = 8L * 1024 * 1024;
    private const uint SyncFileRangeWrite = 2;

    private static bool s_unavailable = !OperatingSystem.IsLinux();
    private long _started;

    /// <summary>Called after each write with the file's length so far; starts writeback of each completed slice.</summary>
    public void Written(long length)
    {
        if (s_unavailable || length - _started < SliceBytes)
        {
            return;
        }

        var end = length - (length % SliceBytes);
        try
        {
            // A failure here only loses the head start (e.g. a file system without it); the fsync still decides.
            if (SyncFileRange(file.DangerousGetHandle().ToInt32(), _started, end - _started, SyncFileRangeWrite) != 0)
            {
                return;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_unavailable = true;
            return;
        }

        _started = end;
    }

    // DllImport, not LibraryImport: every argument is blittable, and LibraryImport would make the whole assembly compile as unsafe.
    [DllImport("libc", EntryPoint = "sync_file_range")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SyncFileRange(int fd, long offset, long count, uint flags);
}
