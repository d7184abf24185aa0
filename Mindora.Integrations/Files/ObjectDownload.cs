namespace Mindora.Integrations.Files;

/// <summary>An open object: its description and a read-only stream of its content.</summary>
public sealed class ObjectDownload : IAsyncDisposable
{
    /// <summary>Wraps a description and an open content stream; the download owns the stream.</summary>
    public ObjectDownload(ObjectInfo info, Stream content)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(content);
        Info = info;
        Content = content;
    }

    /// <summary>The object's description.</summary>
    public ObjectInfo Info { get; }

    /// <summary>The content, readable once from the start.</summary>
    public Stream Content { get; }

    /// <summary>Closes the content stream.</summary>
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
