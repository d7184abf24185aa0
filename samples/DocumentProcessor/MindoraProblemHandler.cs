using Microsoft.AspNetCore.Diagnostics;
using Mindora.Integrations;

namespace DocumentProcessor;

/// <summary>Turns the SDK's typed errors into problem+json responses with the right status.</summary>
internal sealed class MindoraProblemHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            MindoraEmptyContentException => (StatusCodes.Status400BadRequest, "Empty upload"),
            MindoraPayloadTooLargeException => (StatusCodes.Status413PayloadTooLarge, "Upload too large"),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, "Upload too large"),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request"),
            MindoraUnsupportedContentException => (StatusCodes.Status415UnsupportedMediaType, "Unsupported document type"),
            MindoraValidationException => (StatusCodes.Status400BadRequest, "Invalid request"),
            MindoraNotFoundException => (StatusCodes.Status404NotFound, "Not found"),
            MindoraConflictException => (StatusCodes.Status409Conflict, "Conflict"),
            MindoraUnavailableException => (StatusCodes.Status503ServiceUnavailable, "Temporarily unavailable"),
            _ => (0, string.Empty),
        };
        if (status == 0)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = exception is MindoraException or BadHttpRequestException ? exception.Message : null },
        });
    }
}
