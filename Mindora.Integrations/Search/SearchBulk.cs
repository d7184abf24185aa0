using System.Text.Json.Nodes;

namespace Mindora.Integrations.Search;

/// <summary>An operation of a bulk request that passed the checks: its slot in the request, id and normalized document (null: delete).</summary>
internal readonly record struct CheckedBulkOperation(int Slot, string Id, JsonObject? Source);

/// <summary>The checks of bulk requests shared by the providers: each item on its own, so one bad item never stops the others.</summary>
internal static class SearchBulk
{
    public const int MaxOperations = 10_000;

    public static void ValidateCount(IReadOnlyList<BulkOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count is 0 or > MaxOperations)
        {
            throw new MindoraValidationException(nameof(operations), $"A bulk request needs 1 to {MaxOperations} operations.");
        }
    }

    /// <summary>Checks every item; failed ones get their result now, the others are returned to be applied.</summary>
    public static List<CheckedBulkOperation> Check(IReadOnlyList<BulkOperation> operations, Func<JsonObject, JsonObject> normalize, BulkItemResult[] results)
    {
        var valid = new List<CheckedBulkOperation>(operations.Count);
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            try
            {
                ArgumentNullException.ThrowIfNull(operation, nameof(operations));
                var id = SearchValidation.DocumentId(operation.Id, "operation.Id");
                valid.Add(new CheckedBulkOperation(i, id, operation.Document is null ? null : normalize(operation.Document)));
            }
            catch (Exception e) when (e is MindoraException or ArgumentException)
            {
                results[i] = new BulkItemResult(operation?.Id ?? string.Empty, e.Message);
            }
        }

        return valid;
    }
}
