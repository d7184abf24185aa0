namespace Mindora.Integrations.Tests.Support;

/// <summary>A temporary root directory per test class; each test takes a fresh subdirectory from it.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Root = Path.Combine(Path.GetTempPath(), "mindora-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>A new, empty directory for one store (not created yet: providers create it).</summary>
    public string NewStoreDirectory() => Path.Combine(Root, Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
