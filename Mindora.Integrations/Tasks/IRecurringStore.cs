namespace Mindora.Integrations.Tasks;

/// <summary>Where a provider keeps an app's recurring schedules: a definition and the next due time (Unix ms) per name.</summary>
internal interface IRecurringStore
{
    Task UpsertScheduleAsync(string name, string definitionJson, long nextDueMs, CancellationToken cancellationToken);

    Task<bool> RemoveScheduleAsync(string name, CancellationToken cancellationToken);

    /// <summary>Up to a few schedules due at <paramref name="nowMs"/>, with the due time each was found at.</summary>
    Task<IReadOnlyList<(string Name, string DefinitionJson, long DueMs)>> DueSchedulesAsync(long nowMs, CancellationToken cancellationToken);

    /// <summary>Moves the schedule to <paramref name="nextDueMs"/> only if it is still due at <paramref name="dueMs"/> (another process may have moved it).</summary>
    Task AdvanceScheduleAsync(string name, long dueMs, long nextDueMs, CancellationToken cancellationToken);
}
