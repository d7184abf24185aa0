namespace Mindora.Integrations.Data;

/// <summary>Where an AI processing step stands.</summary>
public enum AiProcessingStatus
{
    /// <summary>Queued or running.</summary>
    Pending,

    /// <summary>Finished with a response.</summary>
    Succeeded,

    /// <summary>Finished without a usable response; <see cref="AiProcessingResult.Error"/> says why.</summary>
    Failed,
}
