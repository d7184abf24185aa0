using System.Text;
using Mindora.Integrations.Files;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

/// <summary>
/// The behaviour of <see cref="IMindoraFiles"/>, run against every provider (one subclass each).
/// <see cref="Open"/> opens a new provider instance for an app — what another process of that app
/// would have — so every test starts from a fresh app and shares only the store.
/// </summary>
public abstract partial class FilesSuite : IDisposable
{
    private readonly List<IDisposable> _opened = [];

    /// <summary>A new app name nobody used before on this store.</summary>
    protected static string NewApp() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A new provider instance for <paramref name="app"/>.</summary>
    private protected abstract IFilesProvider OpenProvider(string app, MindoraFilesOptions options);

    /// <summary>Proves that failed uploads of <paramref name="app"/> left nothing behind in the store (temporary files, parts).</summary>
    protected abstract Task AssertNothingLeftBehindAsync(string app);

    public virtual void Dispose()
    {
        foreach (var provider in _opened)
        {
            provider.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    private protected IFilesProvider Open(string app, MindoraFilesOptions? options = null)
    {
        var provider = OpenProvider(app, options ?? new MindoraFilesOptions());
        lock (_opened)
        {
            _opened.Add(provider);
        }

        return provider;
    }

    /// <summary>A provider of a fresh app with bucket <c>b</c> created.</summary>
    private protected async Task<IFilesProvider> OpenWithBucketAsync(MindoraFilesOptions? options = null)
    {
        var files = Open(NewApp(), options);
        await files.EnsureBucketAsync("b");
        return files;
    }

    protected static async Task<byte[]> ReadAllAsync(ObjectDownload download)
    {
        await using (download)
        {
            var copy = new MemoryStream();
            await download.Content.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    protected static async Task<string> ReadTextAsync(IMindoraFiles files, string bucket, string key) =>
        Encoding.UTF8.GetString(await ReadAllAsync(await files.DownloadAsync(bucket, key)));

    protected static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
