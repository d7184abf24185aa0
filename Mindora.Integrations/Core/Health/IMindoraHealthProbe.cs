namespace Mindora.Integrations;

/// <summary>A provider that can prove its backing store is usable right now.</summary>
internal interface IMindoraHealthProbe
{
    /// <summary>Touches the store for real (a read and a write); throws when it is not usable.</summary>
    Task ProbeAsync(CancellationToken cancellationToken);
}
