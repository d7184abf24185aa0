namespace Mindora.Integrations.Tasks;

/// <summary>What every Tasks provider (embedded today, server later) offers to the DI wiring.</summary>
internal interface ITasksProvider : ITaskQueue, ITaskBroker, IMindoraHealthProbe, IDisposable;
