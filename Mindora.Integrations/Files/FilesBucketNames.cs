using System.Text.RegularExpressions;

namespace Mindora.Integrations.Files;

/// <summary>
/// The physical bucket of an app's logical bucket: <c>{app}-{bucket}</c>, which must follow S3's
/// bucket naming rules (3 to 63 characters, lowercase letters, digits and '-', no reserved
/// prefix or suffix), so an app behaves the same on every store.
/// </summary>
internal static partial class FilesBucketNames
{
    public static string Physical(string app, string bucket)
    {
        var name = $"{app}-{bucket}";
        if (name.Length is < 3 or > 63 || !PhysicalRegex().IsMatch(name) || name.StartsWith("xn--", StringComparison.Ordinal)
            || name.StartsWith("sthree-", StringComparison.Ordinal) || name.EndsWith("-s3alias", StringComparison.Ordinal) || name.EndsWith("--ol-s3", StringComparison.Ordinal))
        {
            throw new MindoraInvalidNameException(
                "bucket",
                nameof(bucket),
                $"Invalid bucket name '{bucket}' for app '{app}': the store's bucket '{name}' must follow S3's rules (app name + '-' + bucket at most 63 characters, lowercase letters, digits and '-', not starting with 'xn--' or 'sthree-', not ending with '-s3alias' or '--ol-s3').");
        }

        return name;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex PhysicalRegex();
}
