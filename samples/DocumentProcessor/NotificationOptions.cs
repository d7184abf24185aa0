namespace DocumentProcessor;

/// <summary>The Server-Sent Events stream at <c>GET /notifications</c>; bound from <c>Notifications</c>.</summary>
public sealed class NotificationOptions
{
    /// <summary>Events held per connection for a browser that reads slowly (default 64, 1 to 10,000); beyond it the oldest are dropped and the browser is told how many.</summary>
    public int BufferSize { get; set; } = 64;

    /// <summary>How often an idle stream sends a comment so proxies keep it open (default 15 s, 1 s to 5 minutes).</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Recent events kept to replay after a reconnect with <c>Last-Event-ID</c> (default 100, 0 to 10,000).</summary>
    public int ReplayCount { get; set; } = 100;

    /// <summary>How long a new stream waits for this instance's subscription before answering 503 (default 10 s).</summary>
    public TimeSpan SubscribeTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
