namespace Mindora.Integrations;

/// <summary>
/// The app a process acts for. Every capability scopes its buckets, queues and indexes to
/// <see cref="AppName"/>, so two apps sharing one resource never see each other's data.
/// </summary>
/// <param name="AppName">The validated app name (see <see cref="MindoraNames.ValidateAppName"/>).</param>
public sealed record MindoraAppContext(string AppName);
