namespace Mindora.Integrations.Files;

/// <summary>An open object: its description and a read-only stream of its content.</summary>
public sealed class ObjectDownload : IAsyncDisposable
{
    /// <summary>Wraps a description and an open content stream; the download owns the stream.</summary>
    public ObjectDownload(ObjectInfo info, Stream content)
        : this(info, content, 0, info?.Size ?? 0)
    {
    }

    /// <summary>Wraps a description and an open stream of <paramref name="length"/> bytes starting at <paramref name="offset"/>.</summary>
    public ObjectDownload(ObjectInfo info, Stream content, long offset, long length)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(content);
        Info = info;
        Content = content;
        Offset = offset;
        Length = length;
    }

    /// <summary>Where the content starts in the object (non-zero for a range request).</summary>
    public long Offset { get; }

    /// <summary>How many bytes <see cref="Content"/> holds.</summary>
    public long Length { get; }

    /// <summary>The object's description.</summary>
    public ObjectInfo Info { get; }

    /// <summary>The content (the requested range), readable once from the start.</summary>
    public Stream Content { get; }

    /// <summary>Closes the content stream.</summary>
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
