using System.Runtime.CompilerServices;

namespace Mindora.Integrations.Files;

/// <summary>Operations every provider builds the same way from its own primitives.</summary>
internal static class FilesBatch
{
    /// <summary>Enumerates a listing page by page through <see cref="IMindoraFiles.ListPageAsync"/>.</summary>
    public static async IAsyncEnumerable<ObjectInfo> EnumerateAsync(IMindoraFiles files, string bucket, string? prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await files.ListPageAsync(bucket, prefix, token, 1000, cancellationToken);
            foreach (var info in page.Items)
            {
                yield return info;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    /// <summary>Validates a copy-prefix request, then copies each listed object with <paramref name="copy"/>.</summary>
    public static async Task<int> CopyPrefixAsync(IMindoraFiles files, string sourceBucket, string? sourcePrefix, string targetBucket, string? targetPrefix, Func<string, string, CancellationToken, Task> copy, CancellationToken cancellationToken)
    {
        var copied = 0;
        await foreach (var info in files.ListAsync(sourceBucket, sourcePrefix, cancellationToken))
        {
            await copy(info.Key, FilesArguments.Retarget(info.Key, sourcePrefix ?? string.Empty, targetPrefix ?? string.Empty), cancellationToken);
            copied++;
        }

        return copied;
    }

    /// <summary>Validates both ends of a copy; returns the two bucket names.</summary>
    public static (string Source, string Target) CopyArguments(string sourceBucket, string sourceKeyOrPrefix, string targetBucket, string targetKeyOrPrefix, bool prefixes)
    {
        var source = FilesArguments.Bucket(sourceBucket, nameof(sourceBucket));
        var target = FilesArguments.Bucket(targetBucket, nameof(targetBucket));
        if (prefixes)
        {
            FilesArguments.Prefix(sourceKeyOrPrefix, "sourcePrefix");
            FilesArguments.Prefix(targetKeyOrPrefix, "targetPrefix");
        }
        else
        {
            FilesArguments.Key(sourceKeyOrPrefix, "sourceKey");
            FilesArguments.Key(targetKeyOrPrefix, "targetKey");
        }

        return (source, target);
    }
}
