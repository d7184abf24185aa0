namespace Mindora.Integrations.Embeddings;

/// <summary>The checks every generator applies to its inputs before doing any work.</summary>
internal static class EmbeddingInputs
{
    public const int MaxInputsPerCall = 10_000;

    public static IReadOnlyList<string> Validate(IEnumerable<string> values, int maxCharacters)
    {
        var inputs = values as IReadOnlyList<string> ?? values.ToList();
        if (inputs.Count > MaxInputsPerCall)
        {
            throw new MindoraValidationException("values", $"{inputs.Count} inputs in one call: allowed is at most {MaxInputsPerCall}.");
        }

        for (var i = 0; i < inputs.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(inputs[i]))
            {
                throw new MindoraValidationException($"values[{i}]", $"Input {i} is empty or only whitespace; an embedding needs text.");
            }

            if (inputs[i].Length > maxCharacters)
            {
                throw new MindoraValidationException($"values[{i}]", $"Input {i} has {inputs[i].Length} characters: allowed is at most {maxCharacters} (split long texts into chunks).");
            }
        }

        return inputs;
    }
}
