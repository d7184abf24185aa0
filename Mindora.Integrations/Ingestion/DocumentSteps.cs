namespace Mindora.Integrations.Ingestion;

/// <summary>
/// The status of each step of a document's pipeline, stored on the document as
/// <c>extract=done;partition=done;embed=running</c>. Steps: <see cref="Extract"/>,
/// <see cref="Partition"/>, <see cref="Embed"/>, <see cref="Save"/>; states:
/// <see cref="Pending"/>, <see cref="Running"/>, <see cref="Done"/>, <see cref="Failed"/>,
/// <see cref="Skipped"/> (embed and the vector half of save, when the app has no vector store).
/// </summary>
public static class DocumentSteps
{
    /// <summary>Reading the original into text.</summary>
    public const string Extract = "extract";

    /// <summary>Cutting the text into chunks.</summary>
    public const string Partition = "partition";

    /// <summary>Embedding each chunk.</summary>
    public const string Embed = "embed";

    /// <summary>Writing the chunks to the search index and the vector collection.</summary>
    public const string Save = "save";

    /// <summary>Not started.</summary>
    public const string Pending = "pending";

    /// <summary>Started, not finished.</summary>
    public const string Running = "running";

    /// <summary>Finished.</summary>
    public const string Done = "done";

    /// <summary>Ended with an error (see the document's error).</summary>
    public const string Failed = "failed";

    /// <summary>Not needed in this configuration.</summary>
    public const string Skipped = "skipped";

    /// <summary>The steps in order.</summary>
    public static IReadOnlyList<string> All { get; } = [Extract, Partition, Embed, Save];

    /// <summary>Every step's state (<see cref="Pending"/> when not recorded), in order.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string? steps)
    {
        var recorded = (steps ?? string.Empty)
            .Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        return All.ToDictionary(s => s, s => recorded.GetValueOrDefault(s, Pending), StringComparer.Ordinal);
    }

    /// <summary>
    /// <paramref name="steps"/> with <paramref name="step"/> set to <paramref name="state"/>. Starting
    /// a step again marks the steps after it pending: their results are about to be replaced.
    /// </summary>
    public static string With(string? steps, string step, string state)
    {
        var parsed = new Dictionary<string, string>(Parse(steps), StringComparer.Ordinal);
        parsed[step] = state;
        if (state == Running)
        {
            foreach (var later in All.SkipWhile(s => s != step).Skip(1))
            {
                parsed[later] = Pending;
            }
        }

        return string.Join(';', All.Select(s => $"{s}={parsed[s]}"));
    }
}
