namespace Mindora.Hosting.ApplicationModel;

/// <summary>A resource that other resources reach through network endpoints.</summary>
public interface IResourceWithEndpoints : IResource;

/// <summary>A resource that receives environment variables (projects, executables, containers).</summary>
public interface IResourceWithEnvironment : IResource;

/// <summary>A resource that can be held back until the resources it waits for are healthy.</summary>
public interface IResourceWithWaitSupport : IResource;

/// <summary>A resource that lives inside another (a database inside its server).</summary>
public interface IResourceWithParent : IResource
{
    /// <summary>The resource this one lives in.</summary>
    IResource Parent { get; }
}

/// <summary>
/// A resource that gives each Mindora app its own credentials (a PostgreSQL role, a Redis ACL
/// user, a RabbitMQ user), so that apps are isolated by the server itself, not only by names.
/// </summary>
public interface IResourceWithAppCredentials : IResourceWithConnectionString
{
    /// <summary>
    /// The connection string app <paramref name="app"/> uses, with its own user and password;
    /// null where apps need no credentials of their own (an embedded resource).
    /// </summary>
    ReferenceExpression? AppConnectionStringExpression(string app);
}

/// <summary>A resource that apps connect to with a connection string.</summary>
public interface IResourceWithConnectionString : IResource
{
    /// <summary>
    /// The connection string as a late-evaluated expression: real hosts, ports and passwords at
    /// run time, placeholders when published.
    /// </summary>
    ReferenceExpression ConnectionStringExpression { get; }
}
