using System.Buffers;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace Mindora.Integrations.Files;

/// <summary>
/// SHA-256 over a stream of chunks, computed on a pool thread of its own while the caller goes on
/// copying: hashing (about 1.3 GB/s per core with SHA-NI) is the slowest step of an upload and
/// must not sit in the copy loop. A fixed ring of pooled buffers bounds memory: the caller rents
/// one, fills it, hands it over, and gets it back once hashed.
/// </summary>
internal sealed class BackgroundSha256 : IAsyncDisposable
{
    private readonly byte[][] _buffers;
    private readonly Channel<byte[]> _free;
    private readonly Channel<(byte[] Buffer, int Length)> _filled = Channel.CreateUnbounded<(byte[], int)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Task _worker;

    public BackgroundSha256(int buffers, int bufferSize)
    {
        _buffers = new byte[buffers][];
        _free = Channel.CreateBounded<byte[]>(buffers);
        for (var i = 0; i < buffers; i++)
        {
            _buffers[i] = ArrayPool<byte>.Shared.Rent(bufferSize);
            _free.Writer.TryWrite(_buffers[i]);
        }

        _worker = Task.Run(HashAllAsync);
    }

    /// <summary>A buffer to fill; waits while every buffer is still queued for hashing.</summary>
    public ValueTask<byte[]> RentAsync(CancellationToken cancellationToken) => _free.Reader.ReadAsync(cancellationToken);

    /// <summary>Queues the first <paramref name="length"/> bytes of a rented buffer; the buffer comes back through <see cref="RentAsync"/> once hashed.</summary>
    public void Append(byte[] buffer, int length) => _filled.Writer.TryWrite((buffer, length));

    /// <summary>Gives back a rented buffer that holds nothing to hash.</summary>
    public void Return(byte[] buffer) => _free.Writer.TryWrite(buffer);

    /// <summary>Waits for every queued chunk and returns the hash, lowercase hex.</summary>
    public async Task<string> CompleteAsync()
    {
        _filled.Writer.TryComplete();
        await _worker;
        return Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    public async ValueTask DisposeAsync()
    {
        // The worker must be done with the buffers before they go back to the shared pool.
        _filled.Writer.TryComplete();
        await _worker;
        _hash.Dispose();
        foreach (var buffer in _buffers)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task HashAllAsync()
    {
        await foreach (var (buffer, length) in _filled.Reader.ReadAllAsync())
        {
            _hash.AppendData(buffer, 0, length);
            _free.Writer.TryWrite(buffer);
        }
    }
}
