using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting;

/// <summary>Declares parameters: values from configuration, or generated and kept.</summary>
public static class ParameterBuilderExtensions
{
    /// <summary>
    /// Declares a parameter read from configuration <c>Parameters:{name}</c>. With
    /// <paramref name="generate"/>, a missing value is generated once and kept in the data directory.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddParameter(this MindoraApplicationBuilder builder, string name, bool secret = false, GeneratedParameterDefault? generate = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddResource(new ParameterResource(name, secret, generate));
    }

    /// <summary>A generated secret parameter named <c>{resourceName}-{purpose}</c>, as backing services use for passwords.</summary>
    internal static ParameterResource GeneratedSecret(string resourceName, string purpose) =>
        new($"{resourceName}-{purpose}", secret: true, new GeneratedParameterDefault());

    /// <summary>Adds a service, then its generated secret (so the model lists the service first).</summary>
    internal static IResourceBuilder<T> AddServiceWithSecret<T>(this MindoraApplicationBuilder builder, T service, ParameterResource secret, bool secretIsGenerated)
        where T : ServiceResource
    {
        var added = builder.AddResource(service);
        if (secretIsGenerated)
        {
            builder.AddResource(secret);
        }

        return added;
    }
}
