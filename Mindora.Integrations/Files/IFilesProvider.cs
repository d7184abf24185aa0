namespace Mindora.Integrations.Files;

/// <summary>What every Files provider (embedded today, server later) offers to the DI wiring.</summary>
internal interface IFilesProvider : IMindoraFiles, IMindoraHealthProbe, IDisposable;
