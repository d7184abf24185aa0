namespace Mindora.Hosting.ApplicationModel;

/// <summary>A .NET project of the solution, built once and run as a child process.</summary>
public sealed class ProjectResource : Resource, IResourceWithEndpoints, IResourceWithEnvironment, IResourceWithWaitSupport
{
    /// <summary>Declares the project at <paramref name="projectPath"/> (an absolute path to a .csproj).</summary>
    public ProjectResource(string name, string projectPath)
        : base(name) => ProjectPath = projectPath;

    /// <inheritdoc />
    public override string Kind => "project";

    /// <summary>The absolute path of the project file.</summary>
    public string ProjectPath { get; }

    /// <summary>A reference to one of the project's endpoints.</summary>
    public EndpointReference GetEndpoint(string name) => new(this, name);
}
