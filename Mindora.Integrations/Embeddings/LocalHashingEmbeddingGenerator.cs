using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace Mindora.Integrations.Embeddings;

/// <summary>
/// The local default: deterministic <b>lexical</b> embeddings that need no model and no network.
/// Text is NFKC-normalized and lower-cased, then features are hashed into a fixed number of signed
/// buckets (the "hashing trick") and the vector is L2-normalized: for letter/digit words the word,
/// word bigrams and character trigrams (which tolerate inflections and typos); for Han, kana and
/// Hangul runs, which have no spaces, characters and character bigrams (向量数据库 → 向量, 量数, 数据,
/// 据库). Texts sharing words or character n-grams get a high cosine; texts that mean the same in
/// different words do not — it is not semantic. Use an OpenAI-compatible model for that.
/// </summary>
public sealed class LocalHashingEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The model id reported in metadata and on each embedding.</summary>
    public const string ModelId = "mindora-hashed-ngrams-v1";

    private readonly int _dimensions;
    private readonly int _maxInputCharacters;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Creates the generator with <paramref name="dimensions"/> buckets (default 768).</summary>
    public LocalHashingEmbeddingGenerator(int dimensions = 768, int maxInputCharacters = 32_000)
    {
        if (dimensions is < 16 or > 8192 || maxInputCharacters < 1)
        {
            throw new MindoraConfigurationException($"{MindoraEmbeddingsOptions.SectionName}: the local generator needs Dimensions between 16 and 8192 (got {dimensions}) and MaxInputCharacters of at least 1.");
        }

        _dimensions = dimensions;
        _maxInputCharacters = maxInputCharacters;
        _metadata = new EmbeddingGeneratorMetadata("mindora-local", null, ModelId, dimensions);
    }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = EmbeddingInputs.Validate(values, _maxInputCharacters);
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        foreach (var text in inputs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            result.Add(new Embedding<float>(Embed(text)) { ModelId = ModelId, CreatedAt = null });
        }

        return Task.FromResult(result);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>The embedding of one text (a zero vector only when the text has no letters, digits or symbols at all).</summary>
    public float[] Embed(string text)
    {
        var vector = new float[_dimensions];
        var normalized = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        string? previousWord = null;
        foreach (var (token, isCjk) in Tokens(normalized))
        {
            if (isCjk)
            {
                // No spaces between words: characters carry little, bigrams approximate words.
                var elements = TextElements(token);
                for (var i = 0; i < elements.Count; i++)
                {
                    Add(vector, "c:" + elements[i], 0.5f);
                    if (i + 1 < elements.Count)
                    {
                        Add(vector, "b:" + elements[i] + elements[i + 1], 1f);
                    }
                }

                previousWord = null;
                continue;
            }

            Add(vector, "w:" + token, 1f);
            if (previousWord is not null)
            {
                Add(vector, "p:" + previousWord + " " + token, 0.7f);
            }

            var padded = "<" + token + ">";
            for (var i = 0; i + 3 <= padded.Length; i++)
            {
                Add(vector, string.Concat("t:", padded.AsSpan(i, 3)), 0.3f);
            }

            previousWord = token;
        }

        var norm = 0.0;
        foreach (var x in vector)
        {
            norm += x * x;
        }

        if (norm > 0)
        {
            var scale = (float)(1 / Math.Sqrt(norm));
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] *= scale;
            }
        }

        return vector;
    }

    private static void Add(float[] vector, string feature, float weight)
    {
        // FNV-1a over UTF-16 code units: stable across processes, platforms and .NET versions
        // (string.GetHashCode is randomized per process, so it cannot be used).
        var hash = 14695981039346656037UL;
        foreach (var c in feature)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        // Final avalanche so nearby features spread over buckets.
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        vector[(int)(hash % (ulong)vector.Length)] += (hash >> 63) == 0 ? weight : -weight;
    }

    /// <summary>Runs of letters/digits (one token per word) and runs of CJK characters (one token per run).</summary>
    private static IEnumerable<(string Token, bool IsCjk)> Tokens(string text)
    {
        var current = new StringBuilder();
        var currentIsCjk = false;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = (string)elements.Current;
            var rune = Rune.GetRuneAt(element, 0);
            var cjk = IsCjk(rune);
            var wordy = cjk || Rune.IsLetterOrDigit(rune) || (current.Length > 0 && !currentIsCjk && Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark);
            if (!wordy || (current.Length > 0 && cjk != currentIsCjk))
            {
                if (current.Length > 0)
                {
                    yield return (current.ToString(), currentIsCjk);
                    current.Clear();
                }
            }

            if (wordy)
            {
                current.Append(element);
                currentIsCjk = cjk;
            }
            else if (Rune.IsSymbol(rune))
            {
                // Symbols such as emoji or currency signs count as words of their own.
                yield return (element, false);
            }
        }

        if (current.Length > 0)
        {
            yield return (current.ToString(), currentIsCjk);
        }
    }

    private static List<string> TextElements(string text)
    {
        var list = new List<string>(text.Length);
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            list.Add((string)enumerator.Current);
        }

        return list;
    }

    private static bool IsCjk(Rune rune) => rune.Value switch
    {
        >= 0x3040 and <= 0x30FF => true,   // Hiragana, Katakana
        >= 0x3400 and <= 0x4DBF => true,   // CJK Extension A
        >= 0x4E00 and <= 0x9FFF => true,   // CJK Unified Ideographs
        >= 0xAC00 and <= 0xD7AF => true,   // Hangul syllables
        >= 0xF900 and <= 0xFAFF => true,   // CJK Compatibility Ideographs
        >= 0x20000 and <= 0x3FFFF => true, // CJK Extensions B and later
        _ => false,
    };
}
