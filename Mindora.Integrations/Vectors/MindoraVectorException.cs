namespace Mindora.Integrations.Vectors;

/// <summary>A vector was rejected (wrong dimension, a NaN or infinite component, a zero vector for cosine); nothing was written.</summary>
public sealed class MindoraVectorException : MindoraValidationException
{
    /// <summary>Creates the exception; <paramref name="errorCode"/> is <c>dimension_mismatch</c> or <c>invalid_vector</c>.</summary>
    public MindoraVectorException(string parameterName, string message, string errorCode)
        : base(parameterName, message, errorCode)
    {
    }
}
