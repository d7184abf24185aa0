using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Mindora.Integrations;
using Mindora.Integrations.Files;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the endpoint that serves embedded signed URLs.</summary>
public static class MindoraFilesEndpointExtensions
{
    /// <summary>
    /// Serves the signed URLs of the embedded Files store at <c>Mindora:Files:SignedUrlPath</c>
    /// (default <c>/_mindora/files</c>): GET downloads (with HTTP ranges), PUT uploads. A URL that
    /// is altered, expired, for another method or another app gets 403 with an empty body. With
    /// an S3 store, signed URLs point at S3 itself and this endpoint refuses everything with 403.
    /// </summary>
    public static IEndpointConventionBuilder MapMindoraFiles(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<MindoraFilesOptions>>().Value;
        var group = endpoints.MapGroup("/" + options.SignedUrlPath.Trim('/'));
        group.MapGet("/{token}", ServeAsync);
        group.MapPut("/{token}", ReceiveAsync);
        return group;
    }

    private static async Task<IResult> ServeAsync(string token, HttpContext context, CancellationToken cancellationToken)
    {
        if (Resolve(context, token, SignedUrlMethod.Get) is not var (files, target))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        ObjectDownload download;
        try
        {
            download = await files.DownloadAsync(target.Bucket, target.Key, new DownloadOptions { VersionId = target.VersionId }, cancellationToken);
        }
        catch (MindoraNotFoundException)
        {
            return Results.NotFound();
        }

        // Stored content is served from the app's origin: never let a browser run or re-type it.
        context.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        context.Response.Headers[HeaderNames.ContentSecurityPolicy] = "sandbox";
        context.Response.Headers[HeaderNames.CacheControl] = "private, no-store";
        return Results.Stream(
            download.Content,
            download.Info.ContentType,
            lastModified: download.Info.CreatedAt,
            entityTag: new EntityTagHeaderValue($"\"{download.Info.Sha256}\""),
            enableRangeProcessing: true);
    }

    private static async Task<IResult> ReceiveAsync(string token, HttpContext context, CancellationToken cancellationToken)
    {
        if (Resolve(context, token, SignedUrlMethod.Put) is not var (files, target))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        try
        {
            var contentType = context.Request.ContentType;
            var info = await files.UploadAsync(target.Bucket, target.Key, context.Request.Body, new UploadOptions { ContentType = string.IsNullOrEmpty(contentType) ? null : contentType }, ObjectUploadCauses.SignedPut, cancellationToken);
            context.Response.Headers[HeaderNames.ETag] = $"\"{info.Sha256}\"";
            return Results.Ok(new { info.Key, info.Size, info.Sha256, info.VersionId });
        }
        catch (MindoraPayloadTooLargeException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        catch (Exception e) when (e is MindoraValidationException or MindoraEmptyContentException)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (MindoraNotFoundException)
        {
            return Results.NotFound();
        }
    }

    private static (EmbeddedFilesProvider Files, SignedTarget Target)? Resolve(HttpContext context, string token, SignedUrlMethod method) =>
        context.RequestServices.GetService<IFilesProvider>() is EmbeddedFilesProvider files && files.VerifySignedUrl(token, method) is { } target
            ? (files, target)
            : null;
}
