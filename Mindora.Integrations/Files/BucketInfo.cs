namespace Mindora.Integrations.Files;

/// <summary>A bucket of the app.</summary>
/// <param name="Name">The bucket as the app names it (the store may prefix it with the app).</param>
/// <param name="CreatedAt">When the bucket was created.</param>
public sealed record BucketInfo(string Name, DateTimeOffset CreatedAt);
