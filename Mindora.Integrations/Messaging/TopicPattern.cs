namespace Mindora.Integrations.Messaging;

/// <summary>AMQP topic matching: '*' is exactly one word, '#' is zero or more words.</summary>
internal static class TopicPattern
{
    public static bool Matches(string pattern, string routingKey) =>
        Matches(pattern.Split('.'), 0, routingKey.Split('.'), 0);

    private static bool Matches(string[] pattern, int p, string[] key, int k)
    {
        while (p < pattern.Length)
        {
            if (pattern[p] == "#")
            {
                // '#' takes any number of words: try every split (patterns are short).
                for (var skip = k; skip <= key.Length; skip++)
                {
                    if (Matches(pattern, p + 1, key, skip))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (k >= key.Length || (pattern[p] != "*" && !string.Equals(pattern[p], key[k], StringComparison.Ordinal)))
            {
                return false;
            }

            p++;
            k++;
        }

        return k == key.Length;
    }
}
