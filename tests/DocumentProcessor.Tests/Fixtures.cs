using System.Globalization;

namespace DocumentProcessor.Tests;

/// <summary>The API alone (no worker, so uploads stay queued) on its own stores, with a 1 KiB upload limit.</summary>
public sealed class ApiFixture : IDisposable
{
    public const long MaxUploadBytes = 1024;

    public ApiFixture()
    {
        Factory = new DocumentApiFactory(Store, new Dictionary<string, string?>
        {
            ["Documents:MaxUploadBytes"] = MaxUploadBytes.ToString(CultureInfo.InvariantCulture),
        });
        Client = Factory.CreateClient();
    }

    public TestStore Store { get; } = new();

    public DocumentApiFactory Factory { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => Factory.Services;

    public void Dispose()
    {
        Client.Dispose();
        Factory.Dispose();
        Store.Dispose();
    }
}

/// <summary>The API and, in the same process, a worker host on the same stores: uploads get processed.</summary>
public sealed class IngestionFixture : IAsyncLifetime
{
    private DocumentWorkerHost? _worker;

    public IngestionFixture()
    {
        Factory = new DocumentApiFactory(Store);
        Client = Factory.CreateClient();
    }

    public TestStore Store { get; } = new();

    public DocumentApiFactory Factory { get; }

    public HttpClient Client { get; }

    public async Task InitializeAsync() => _worker = await DocumentWorkerHost.StartAsync(Store);

    public async Task DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        Client.Dispose();
        await Factory.DisposeAsync();
        Store.Dispose();
    }
}
