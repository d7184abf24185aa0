using System.Text.RegularExpressions;
using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting;

/// <summary>
/// When the model is built: for every app (a resource with <c>WithMindoraApp</c>) and every server
/// it references that isolates apps by credentials, declare the app's password as a generated
/// secret parameter <c>{server}-{app}-password</c>, kept like the servers' own passwords.
/// </summary>
internal static partial class AppCredentialDeclarations
{
    public const string AppNameRule = "2 to 31 characters: lowercase letters, digits and '-', starting with a letter";

    public static void Declare(MindoraApplicationBuilder builder)
    {
        foreach (var consumer in builder.Resources.ToList())
        {
            if (consumer.LastAnnotationOf<MindoraAppAnnotation>() is not { } app)
            {
                continue;
            }

            if (!AppNameRegex().IsMatch(app.AppName))
            {
                throw new ModelValidationException(consumer.Name, $"app name '{app.AppName}' is invalid; allowed: {AppNameRule}.");
            }

            foreach (var reference in consumer.AnnotationsOf<ReferenceAnnotation>())
            {
                var server = reference.Target switch
                {
                    ServiceResource service => service,
                    PostgresDatabaseResource database => database.Server,
                    _ => null,
                };
                if (server is { SupportsAppCredentials: true } && !server.AppPasswords.ContainsKey(app.AppName))
                {
                    var password = new ParameterResource($"{server.Name}-{app.AppName}-password", secret: true, new GeneratedParameterDefault());
                    server.AppPasswords[app.AppName] = password;
                    builder.AddResource(password);
                }
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,30}$", RegexOptions.CultureInvariant)]
    private static partial Regex AppNameRegex();
}
