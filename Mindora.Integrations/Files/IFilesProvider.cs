namespace Mindora.Integrations.Files;

/// <summary>What every Files provider (embedded today, server later) offers to the DI wiring.</summary>
internal interface IFilesProvider : IMindoraFiles, IMindoraHealthProbe, IDisposable
{
    /// <summary>Like <see cref="IMindoraFiles.OnUploadCommitted"/>, with the cause of each new version (<see cref="ObjectUploadCauses"/>).</summary>
    IDisposable OnVersionCommitted(Func<ObjectInfo, string, CancellationToken, Task> handler);
}
