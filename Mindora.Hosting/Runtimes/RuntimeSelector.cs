using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Runtimes;

/// <summary>
/// Places each backing service on a runtime: the preferred one when it can run the resource,
/// else (for <c>auto</c>) the next in the order container, process, embedded. Embedded always
/// works, so a fresh machine with only the .NET SDK runs the whole stack.
/// </summary>
internal sealed class RuntimeSelector(IReadOnlyList<IServiceRuntime> runtimes)
{
    private static readonly RuntimeKind[] AutoOrder = [RuntimeKind.Container, RuntimeKind.Process, RuntimeKind.Embedded];

    /// <param name="resource">The service.</param>
    /// <param name="preference">The runtime asked for.</param>
    /// <param name="strict">No fallback to embedded unless embedded was asked for.</param>
    /// <param name="cancellationToken">Cancels the availability checks.</param>
    public async Task<(IServiceRuntime Runtime, string Reason)> SelectAsync(ServiceResource resource, RuntimePreference preference, bool strict, CancellationToken cancellationToken)
    {
        RuntimeKind[] order = preference switch
        {
            RuntimePreference.Embedded => [RuntimeKind.Embedded],
            RuntimePreference.Process => [RuntimeKind.Process, RuntimeKind.Embedded],
            RuntimePreference.Container => [RuntimeKind.Container, RuntimeKind.Embedded],
            _ => AutoOrder,
        };
        if (strict && preference != RuntimePreference.Embedded)
        {
            order = [.. order.Where(k => k != RuntimeKind.Embedded)];
        }

        var skipped = new List<string>();
        foreach (var kind in order)
        {
            var runtime = runtimes.FirstOrDefault(r => r.Kind == kind);
            if (runtime is null)
            {
                skipped.Add($"{Describe(kind)}: not available in this version");
                continue;
            }

            var availability = await runtime.CheckAvailabilityAsync(resource, cancellationToken).ConfigureAwait(false);
            if (availability.IsAvailable)
            {
                var reason = preference == RuntimePreference.Auto || kind == OrderFirst(preference)
                    ? $"{Describe(preference)}: {availability.Reason}"
                    : $"fell back from {Describe(preference)}: {availability.Reason}";
                return (runtime, skipped.Count == 0 ? reason : $"{reason} ({string.Join("; ", skipped)})");
            }

            skipped.Add($"{Describe(kind)}: {availability.Reason}");
        }

        throw new MindoraHostingException($"Resource '{resource.Name}': no runtime can run it{(strict ? " (--strict: no fallback to embedded)" : string.Empty)}: {string.Join("; ", skipped)}.");
    }

    private static RuntimeKind OrderFirst(RuntimePreference preference) => preference switch
    {
        RuntimePreference.Process => RuntimeKind.Process,
        RuntimePreference.Container => RuntimeKind.Container,
        _ => RuntimeKind.Embedded,
    };

    private static string Describe(RuntimeKind kind) => kind.ToString().ToLowerInvariant();

    private static string Describe(RuntimePreference preference) => $"--runtime {preference.ToString().ToLowerInvariant()}";
}
