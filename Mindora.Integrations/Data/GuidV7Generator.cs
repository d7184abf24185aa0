using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.ValueGeneration;

namespace Mindora.Integrations.Data;

/// <summary>Time-ordered (version 7) keys: new rows land at the end of the key index instead of at random pages.</summary>
internal sealed class GuidV7Generator : ValueGenerator<Guid>
{
    public override bool GeneratesTemporaryValues => false;

    public override Guid Next(EntityEntry entry) => Guid.CreateVersion7();
}
