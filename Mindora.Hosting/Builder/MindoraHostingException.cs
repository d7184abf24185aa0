namespace Mindora.Hosting;

/// <summary>The AppHost cannot run as asked: a bad option or an invalid model. Raised before anything starts.</summary>
public class MindoraHostingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MindoraHostingException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>The declared model is invalid; the message names the resource and what is wrong.</summary>
public sealed class ModelValidationException : MindoraHostingException
{
    /// <summary>Creates the exception for <paramref name="resourceName"/>.</summary>
    public ModelValidationException(string resourceName, string message)
        : base($"Resource '{resourceName}': {message}")
    {
        ResourceName = resourceName;
    }

    /// <summary>The resource at fault.</summary>
    public string ResourceName { get; }
}
