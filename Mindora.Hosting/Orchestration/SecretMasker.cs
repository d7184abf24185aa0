namespace Mindora.Hosting;

/// <summary>
/// Replaces every known secret value (secret parameters, generated passwords) in text before
/// it reaches a log buffer, the dashboard or the console.
/// </summary>
internal sealed class SecretMasker
{
    private const int MinimumSecretLength = 4;
    private readonly Lock _gate = new();
    private string[] _secrets = [];

    public void Add(string secret)
    {
        // Very short values would mask ordinary text and protect nothing.
        if (secret.Length < MinimumSecretLength)
        {
            return;
        }

        lock (_gate)
        {
            if (!_secrets.Contains(secret, StringComparer.Ordinal))
            {
                // Longest first, so a secret that contains another is masked whole.
                _secrets = [.. _secrets.Append(secret).OrderByDescending(s => s.Length)];
            }
        }
    }

    public string Mask(string text)
    {
        var secrets = _secrets;
        foreach (var secret in secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, ApplicationModel.ValueResolutionContext.Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }
}
