using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting;

/// <summary>
/// Declares the stack: every <c>Add*</c> call adds a resource; <see cref="Build"/> validates the
/// model and returns the application that runs it.
/// </summary>
public sealed class MindoraApplicationBuilder
{
    internal static readonly DiagnosticListener Diagnostics = new("Mindora.Hosting");
    internal const string BuilderCreatedEvent = "Mindora.Hosting.BuilderCreated";
    internal const string ApplicationBuiltEvent = "Mindora.Hosting.ApplicationBuilt";

    private readonly List<IResource> _resources = [];

    internal MindoraApplicationBuilder(string[] args, Assembly appHostAssembly)
    {
        var commandLine = AppHostCommandLine.Parse(args);
        Args = args;
        AppHostAssembly = appHostAssembly;
        HelpRequested = commandLine.HelpRequested;
        Verb = commandLine.Verb ?? "run";
        AppHostDirectory = ProjectTargets.AppHostDirectory(appHostAssembly) ?? AppContext.BaseDirectory;

        Configuration = new ConfigurationManager();
        Configuration.SetBasePath(AppHostDirectory);
        Configuration.AddJsonFile("appsettings.json", optional: true);
        Configuration.AddEnvironmentVariables();
        Configuration.AddCommandLine([.. commandLine.Remaining]);
        Configuration.AddInMemoryCollection(commandLine.Settings);

        Options = HostOptionsReader.Read(Configuration, Directory.GetCurrentDirectory());
        Diagnostics.Write(BuilderCreatedEvent, this);
    }

    /// <summary>The command line the AppHost was started with.</summary>
    public IReadOnlyList<string> Args { get; }

    /// <summary>Configuration: the AppHost's appsettings.json, environment, command line.</summary>
    public ConfigurationManager Configuration { get; }

    /// <summary>How the AppHost runs; tests may change it before <see cref="Build"/>.</summary>
    public MindoraHostOptions Options { get; set; }

    /// <summary>The declared resources, in declaration order.</summary>
    public IReadOnlyList<IResource> Resources => _resources;

    /// <summary>The AppHost project's directory; relative project paths resolve against it.</summary>
    public string AppHostDirectory { get; }

    /// <summary><c>run</c>, or <c>publish</c> when the first argument asks to publish.</summary>
    public string Verb { get; }

    internal bool HelpRequested { get; }

    /// <summary>Whether Ctrl+C and SIGTERM stop the application (off under the testing builder).</summary>
    internal bool HandleSignals { get; set; } = true;

    internal Assembly AppHostAssembly { get; }

    /// <summary>Adds a resource to the model.</summary>
    public IResourceBuilder<T> AddResource<T>(T resource)
        where T : IResource
    {
        ArgumentNullException.ThrowIfNull(resource);
        _resources.Add(resource);
        return new ResourceBuilder<T>(resource, this);
    }

    /// <summary>A builder for a resource already in the model.</summary>
    public IResourceBuilder<T> CreateResourceBuilder<T>(T resource)
        where T : IResource => new ResourceBuilder<T>(resource, this);

    /// <summary>Validates the model (names, waits, cycles, ports, project files) and returns the application.</summary>
    public MindoraApplication Build()
    {
        AppCredentialDeclarations.Declare(this);
        ModelValidator.Validate(_resources, Options, checkPorts: Verb == "run" && !HelpRequested);
        var application = new MindoraApplication(this);
        Diagnostics.Write(ApplicationBuiltEvent, application);
        return application;
    }
}
