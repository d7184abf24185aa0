using System.Text.Encodings.Web;
using System.Text.Json;
using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Publishing;

/// <summary>
/// Writes the model as an Aspire manifest (<c>aspire-manifest.json</c>): services as
/// <c>container.v0</c>, databases as <c>value.v0</c>, projects as <c>project.v0</c>, executables as
/// <c>executable.v0</c>, parameters as <c>parameter.v0</c> (generated secrets with a
/// <c>generate</c> default). Every value is the model's own expression rendered as placeholders,
/// so the manifest never holds a secret.
/// </summary>
internal static class ManifestPublisher
{
    public const string FileName = "aspire-manifest.json";

    public static async Task<string> PublishAsync(IReadOnlyList<IResource> resources, string outputDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outputDirectory);
        var path = Path.Combine(outputDirectory, FileName);
        await File.WriteAllBytesAsync(path, Render(resources, outputDirectory), cancellationToken).ConfigureAwait(false);
        return path;
    }

    public static byte[] Render(IReadOnlyList<IResource> resources, string outputDirectory)
    {
        // Relaxed escaping: a file for people and deployers, never embedded in HTML.
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", "https://json.schemastore.org/aspire-8.0.json");
            json.WriteStartObject("resources");
            foreach (var resource in resources)
            {
                json.WriteStartObject(resource.Name);
                switch (resource)
                {
                    case ParameterResource parameter:
                        WriteParameter(json, parameter);
                        break;
                    case ServiceResource service:
                        WriteContainer(json, service);
                        break;
                    case PostgresDatabaseResource database:
                        json.WriteString("type", "value.v0");
                        json.WriteString("connectionString", database.ConnectionStringExpression.ValueExpression);
                        break;
                    case ProjectResource project:
                        json.WriteString("type", "project.v0");
                        json.WriteString("path", Path.GetRelativePath(outputDirectory, project.ProjectPath).Replace('\\', '/'));
                        WriteEnvironment(json, project);
                        WriteBindings(json, project, targetPorts: false);
                        break;
                    case ExecutableResource executable:
                        json.WriteString("type", "executable.v0");
                        json.WriteString("workingDirectory", Path.GetRelativePath(outputDirectory, executable.WorkingDirectory).Replace('\\', '/'));
                        json.WriteString("command", executable.Command);
                        WriteStrings(json, "args", executable.Arguments);
                        WriteEnvironment(json, executable);
                        WriteBindings(json, executable, targetPorts: false);
                        break;
                    default:
                        throw new MindoraHostingException($"Resource '{resource.Name}' of kind {resource.Kind} cannot be published.");
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteParameter(Utf8JsonWriter json, ParameterResource parameter)
    {
        json.WriteString("type", "parameter.v0");
        json.WriteString("value", $"{{{parameter.Name}.inputs.value}}");
        json.WriteStartObject("inputs");
        json.WriteStartObject("value");
        json.WriteString("type", "string");
        if (parameter.Secret)
        {
            json.WriteBoolean("secret", true);
        }

        if (parameter.GeneratedDefault is { } generate)
        {
            json.WriteStartObject("default");
            json.WriteStartObject("generate");
            json.WriteNumber("minLength", generate.MinLength);
            if (!generate.Special)
            {
                json.WriteBoolean("special", false);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteContainer(Utf8JsonWriter json, ServiceResource service)
    {
        var container = service.Container;
        json.WriteString("type", "container.v0");
        json.WriteString("connectionString", service.ConnectionStringExpression.ValueExpression);
        json.WriteString("image", $"{container.Image}:{container.Tag}");
        WriteStrings(json, "args", container.Arguments.Select(a => a.ValueExpression).ToList());
        if (service.LastAnnotationOf<DataVolumeAnnotation>() is { } volume)
        {
            json.WriteStartArray("volumes");
            json.WriteStartObject();
            json.WriteString("name", VolumeName(service, volume));
            json.WriteString("target", container.DataPath);
            json.WriteBoolean("readOnly", false);
            json.WriteEndObject();
            json.WriteEndArray();
        }

        if (container.Environment.Count > 0)
        {
            json.WriteStartObject("env");
            foreach (var (name, value) in container.Environment)
            {
                json.WriteString(name, value.ValueExpression);
            }

            json.WriteEndObject();
        }

        WriteBindings(json, service, targetPorts: true);
    }

    /// <summary>The named volume of a service: the annotation's name, else <c>mindora-{resource}-data</c>.</summary>
    public static string VolumeName(ServiceResource service, DataVolumeAnnotation volume) => volume.Name ?? $"mindora-{service.Name}-data";

    private static void WriteEnvironment(Utf8JsonWriter json, IResource resource)
    {
        var variables = PublishedEnvironment.Of(resource);
        if (variables.Count == 0)
        {
            return;
        }

        json.WriteStartObject("env");
        foreach (var (name, value) in variables)
        {
            json.WriteString(name, PublishedEnvironment.ManifestValue(resource, name, value));
        }

        json.WriteEndObject();
    }

    private static void WriteBindings(Utf8JsonWriter json, IResource resource, bool targetPorts)
    {
        var endpoints = resource.AnnotationsOf<EndpointAnnotation>().ToList();
        if (endpoints.Count == 0)
        {
            return;
        }

        json.WriteStartObject("bindings");
        foreach (var endpoint in endpoints)
        {
            json.WriteStartObject(endpoint.Name);
            json.WriteString("scheme", endpoint.Scheme);
            json.WriteString("protocol", "tcp");
            json.WriteString("transport", endpoint.Scheme is "http" or "https" ? "http" : "tcp");
            if (targetPorts && endpoint.TargetPort is { } target)
            {
                json.WriteNumber("targetPort", target);
            }

            if (endpoint.IsExternal)
            {
                json.WriteBoolean("external", true);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
