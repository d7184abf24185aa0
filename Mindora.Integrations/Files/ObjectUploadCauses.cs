namespace Mindora.Integrations.Files;

/// <summary>
/// Why a new object version was committed: the <see cref="ObjectUploadedEvent.Cause"/> of
/// <c>files.object-uploaded</c>. Every path that creates a version publishes the same event.
/// </summary>
public static class ObjectUploadCauses
{
    /// <summary><see cref="IMindoraFiles.UploadAsync"/>.</summary>
    public const string Upload = "upload";

    /// <summary>A PUT to an embedded signed URL, served by <c>app.MapMindoraFiles()</c>.</summary>
    public const string SignedPut = "signed-put";

    /// <summary><see cref="IMindoraFiles.CopyAsync"/> or one object of <see cref="IMindoraFiles.CopyPrefixAsync"/>.</summary>
    public const string Copy = "copy";

    /// <summary><see cref="IMindoraFiles.RestoreVersionAsync"/>.</summary>
    public const string Restore = "restore";

    /// <summary>
    /// <see cref="IMindoraFiles.ConfirmUploadAsync"/>: the app confirms an object a client stored
    /// directly (an S3 presigned PUT never passes through the app).
    /// </summary>
    public const string Confirmed = "confirmed";
}
