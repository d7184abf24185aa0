using System.Text;
using System.Text.RegularExpressions;

namespace Mindora.Integrations.Files;

/// <summary>Validates caller-given media types and detects one from the first bytes of content.</summary>
internal static partial class ContentTypes
{
    /// <summary>The fallback for content that is not recognized.</summary>
    public const string OctetStream = "application/octet-stream";

    /// <summary>How many leading bytes detection looks at.</summary>
    public const int SniffBytes = 8192;

    private const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private const string Pptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation";

    /// <summary>Accepts <c>type/subtype</c> with optional printable parameters, at most 255 characters.</summary>
    public static string Validate(string contentType, string parameterName)
    {
        if (contentType.Length > 255 || !MediaTypeRegex().IsMatch(contentType))
        {
            throw new MindoraValidationException(
                parameterName,
                "Invalid content type: allowed is 'type/subtype' (for example 'application/pdf'), optionally followed by '; parameters', at most 255 characters.");
        }

        return contentType;
    }

    /// <summary>
    /// Detects the media type from <paramref name="head"/>, the first bytes of the content;
    /// <paramref name="truncated"/> says whether the content goes on after them.
    /// </summary>
    public static string Detect(ReadOnlySpan<byte> head, bool truncated)
    {
        if (head.StartsWith("%PDF-"u8))
        {
            return "application/pdf";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }

        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            // OOXML packages are ZIPs whose entry names sit in plain text in the local headers.
            return head.IndexOf("word/"u8) >= 0 ? Docx
                : head.IndexOf("xl/"u8) >= 0 ? Xlsx
                : head.IndexOf("ppt/"u8) >= 0 ? Pptx
                : "application/zip";
        }

        return IsUtf8Text(head, truncated) ? "text/plain" : OctetStream;
    }

    private static bool IsUtf8Text(ReadOnlySpan<byte> head, bool truncated)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            head = head[3..];
        }

        while (!head.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(head, out var rune, out var consumed);
            if (status == System.Buffers.OperationStatus.NeedMoreData && truncated)
            {
                // The sniffed window cut a character in two; the content continues.
                return true;
            }

            if (status != System.Buffers.OperationStatus.Done
                || (Rune.IsControl(rune) && rune.Value is not ('\t' or '\n' or '\r' or '\f')))
            {
                return false;
            }

            head = head[consumed..];
        }

        return true;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\s*;[\x20-\x7E]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex MediaTypeRegex();
}
