using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Mindora.Integrations.Data;

/// <summary>An opaque page cursor: the (CreatedAt, Id) of a page's last entity.</summary>
internal static class PageCursor
{
    public static string Encode(DateTimeOffset createdAt, Guid id) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{createdAt.UtcTicks}:{id:N}")));

    /// <exception cref="MindoraValidationException">The cursor was not made by <see cref="Encode"/>.</exception>
    public static (DateTimeOffset CreatedAt, Guid Id) Decode(string cursor)
    {
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            var parts = text.Split(':');
            if (parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
                && Guid.TryParseExact(parts[1], "N", out var id))
            {
                return (new DateTimeOffset(ticks, TimeSpan.Zero), id);
            }
        }
        catch (FormatException)
        {
        }

        throw new MindoraValidationException("after", "Invalid page cursor: pass the NextCursor of the previous page unchanged.");
    }
}
