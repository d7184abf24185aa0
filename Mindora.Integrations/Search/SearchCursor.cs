using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mindora.Integrations.Search;

/// <summary>Opaque paging cursors (search_after): the sort values of a hit, as base64url JSON.</summary>
internal static class SearchCursor
{
    public static string Encode(JsonArray values) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(values.ToJsonString()));

    /// <summary>The values of a cursor; throws when it is not one with <paramref name="count"/> values.</summary>
    public static JsonArray Decode(string cursor, int count)
    {
        try
        {
            if (cursor.Length <= 4096 && JsonNode.Parse(Base64Url.DecodeFromChars(cursor)) is JsonArray values && values.Count == count)
            {
                return values;
            }
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            // Reported below as a validation error.
        }

        throw new MindoraValidationException("request.After", "The cursor is not one returned by this query (pass a hit's Cursor with the same sort).");
    }
}
