namespace Mindora.Integrations.Search;

/// <summary>What every Search provider (embedded today, server later) offers to the DI wiring.</summary>
internal interface ISearchProvider : IMindoraSearch, IMindoraHealthProbe, IDisposable;
