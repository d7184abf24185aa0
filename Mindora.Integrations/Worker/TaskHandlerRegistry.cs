namespace Mindora.Integrations.Worker;

/// <summary>Maps task names to handler types; built once from the registrations, duplicates rejected.</summary>
internal sealed class TaskHandlerRegistry
{
    private readonly Dictionary<string, Type> _handlers = new(StringComparer.Ordinal);

    public void Add(string taskName, Type handlerType)
    {
        MindoraNames.ValidateTaskName(taskName);
        if (_handlers.TryGetValue(taskName, out var existing) && existing != handlerType)
        {
            throw new MindoraConfigurationException($"Task '{taskName}' has two handlers: {existing.Name} and {handlerType.Name}; register one.");
        }

        _handlers[taskName] = handlerType;
    }

    public Type? Find(string taskName) => _handlers.GetValueOrDefault(taskName);

    public IReadOnlyCollection<string> TaskNames => _handlers.Keys;
}
