using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Testing;

/// <summary>A stack started by <see cref="MindoraTestingBuilder"/>; disposing it stops everything and removes its data.</summary>
public sealed class MindoraTestingApplication : IAsyncDisposable
{
    private readonly Task _entryPoint;
    private readonly string _dataDirectory;

    internal MindoraTestingApplication(MindoraApplication application, Task entryPoint, string dataDirectory)
    {
        Application = application;
        _entryPoint = entryPoint;
        _dataDirectory = dataDirectory;
    }

    /// <summary>The running application.</summary>
    public MindoraApplication Application { get; }

    /// <summary>Waits until every resource is running and healthy.</summary>
    public async Task WaitForAllHealthyAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await Application.WaitForAllHealthyAsync(cancellation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            var notHealthy = Application.Notifications.Snapshots.Where(s => !s.IsHealthy)
                .Select(s => $"{s.Name}: {s.State}/{s.Health} {s.Error ?? s.HealthDescription}");
            throw new TimeoutException($"Not every resource was healthy after {timeout.TotalSeconds:0} s: {string.Join("; ", notHealthy)}");
        }
    }

    /// <summary>The URL of a resource's endpoint in this run.</summary>
    public Uri GetEndpoint(string resourceName, string endpointName = "http")
    {
        var resource = Application.Resources.OfType<IResourceWithEndpoints>().SingleOrDefault(r => r.Name == resourceName)
            ?? throw new ArgumentException($"There is no resource named '{resourceName}' with endpoints.", nameof(resourceName));
        return new Uri(new EndpointReference(resource, endpointName).Allocated.Url);
    }

    /// <summary>An HttpClient whose base address is a resource's endpoint.</summary>
    public HttpClient CreateHttpClient(string resourceName, string endpointName = "http") =>
        new() { BaseAddress = GetEndpoint(resourceName, endpointName) };

    /// <summary>A resource's connection string in this run, with real values.</summary>
    public ValueTask<string?> GetConnectionStringAsync(string resourceName, CancellationToken cancellationToken = default)
    {
        var resource = Application.Resources.OfType<IResourceWithConnectionString>().SingleOrDefault(r => r.Name == resourceName)
            ?? throw new ArgumentException($"There is no resource named '{resourceName}' with a connection string.", nameof(resourceName));
        return resource.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run, cancellationToken);
    }

    /// <summary>Stops the stack, waits for the AppHost's entry point to return, and deletes the data directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await Application.StopAsync().ConfigureAwait(false);
        try
        {
            await _entryPoint.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The stack is stopped; how the entry point ended does not matter to the test any more.
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was written.
        }
    }
}
