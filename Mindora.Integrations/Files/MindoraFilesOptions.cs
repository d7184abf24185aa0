namespace Mindora.Integrations.Files;

/// <summary>Settings of the Files capability, bound from the configuration section <c>Mindora:Files</c>.</summary>
public sealed class MindoraFilesOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Mindora:Files";

    /// <summary>The largest upload in bytes unless an upload sets its own limit. Default 100 MiB.</summary>
    public long MaxUploadBytes { get; set; } = 100L * 1024 * 1024;
}
