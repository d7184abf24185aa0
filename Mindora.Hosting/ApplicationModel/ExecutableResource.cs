namespace Mindora.Hosting.ApplicationModel;

/// <summary>Any program run as a child process (a script, a tool, a server the model has no type for).</summary>
public sealed class ExecutableResource : Resource, IResourceWithEndpoints, IResourceWithEnvironment, IResourceWithWaitSupport
{
    /// <summary>Declares the executable.</summary>
    public ExecutableResource(string name, string command, string workingDirectory, IReadOnlyList<string> arguments)
        : base(name)
    {
        Command = command;
        WorkingDirectory = workingDirectory;
        Arguments = arguments;
    }

    /// <inheritdoc />
    public override string Kind => "executable";

    /// <summary>The program to run (a path, or a name found on PATH).</summary>
    public string Command { get; }

    /// <summary>The working directory.</summary>
    public string WorkingDirectory { get; }

    /// <summary>The arguments.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>A reference to one of the executable's endpoints.</summary>
    public EndpointReference GetEndpoint(string name) => new(this, name);
}
