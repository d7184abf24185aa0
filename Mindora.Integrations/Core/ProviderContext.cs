using System.Diagnostics.Metrics;

namespace Mindora.Integrations;

/// <summary>What a capability's provider factory builds a provider from.</summary>
/// <typeparam name="TOptions">The capability's options.</typeparam>
/// <param name="Connection">The parsed connection string.</param>
/// <param name="ConnectionName">Its name, for messages (never its value: it may hold a secret).</param>
/// <param name="App">The app the provider serves.</param>
/// <param name="Options">The bound options.</param>
/// <param name="Meters">The meter factory, when the host has one.</param>
/// <param name="Time">The clock.</param>
internal sealed record ProviderContext<TOptions>(
    MindoraConnectionString Connection,
    string ConnectionName,
    string App,
    TOptions Options,
    IMeterFactory? Meters,
    TimeProvider Time);
