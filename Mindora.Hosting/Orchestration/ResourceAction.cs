namespace Mindora.Hosting;

/// <summary>What people can do to a resource from the dashboard.</summary>
public enum ResourceAction
{
    /// <summary>Stop it (it stays stopped: no restart).</summary>
    Stop,

    /// <summary>Start it again after a stop or a failure.</summary>
    Start,

    /// <summary>Stop it, then start it.</summary>
    Restart,
}

/// <summary>How a dashboard action went.</summary>
public enum ResourceActionResult
{
    /// <summary>Done.</summary>
    Done,

    /// <summary>There is no such resource.</summary>
    NotFound,

    /// <summary>Parameters and databases are not stopped or started on their own.</summary>
    NotControllable,

    /// <summary>Start was asked for a resource that runs.</summary>
    AlreadyRunning,
}
