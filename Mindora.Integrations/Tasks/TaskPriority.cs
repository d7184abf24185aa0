namespace Mindora.Integrations.Tasks;

/// <summary>The order in which due tasks of the same queues are claimed: High first.</summary>
public enum TaskPriority
{
    /// <summary>Claimed before Default and Low.</summary>
    High = 0,

    /// <summary>The usual priority.</summary>
    Default = 1,

    /// <summary>Claimed when nothing more urgent is due.</summary>
    Low = 2,
}
