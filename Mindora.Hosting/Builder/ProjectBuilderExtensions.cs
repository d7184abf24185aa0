using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting;

/// <summary>Declares .NET projects of the solution.</summary>
public static class ProjectBuilderExtensions
{
    /// <summary>
    /// Adds the project at <paramref name="projectPath"/> (relative to the AppHost project's
    /// directory, or absolute). Reference it from the AppHost's .csproj with
    /// <c>IsMindoraProject="true"</c> so that building the AppHost builds it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddProject(this MindoraApplicationBuilder builder, string name, string projectPath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(projectPath);
        var fullPath = Path.GetFullPath(projectPath, builder.AppHostDirectory);
        return builder.AddResource(new ProjectResource(name, fullPath));
    }
}

/// <summary>Declares arbitrary programs run as child processes.</summary>
public static class ExecutableBuilderExtensions
{
    /// <summary>Adds a program run in <paramref name="workingDirectory"/> (relative to the AppHost's directory) with <paramref name="arguments"/>.</summary>
    public static IResourceBuilder<ExecutableResource> AddExecutable(this MindoraApplicationBuilder builder, string name, string command, string workingDirectory, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(command);
        var directory = Path.GetFullPath(workingDirectory, builder.AppHostDirectory);
        return builder.AddResource(new ExecutableResource(name, command, directory, arguments));
    }
}
