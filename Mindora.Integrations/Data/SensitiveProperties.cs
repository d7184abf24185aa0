using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Mindora.Integrations.Data;

/// <summary>Which properties carry <see cref="SensitiveAttribute"/>; looked up once per member.</summary>
internal sealed class SensitiveProperties
{
    private readonly ConcurrentDictionary<MemberInfo, bool> _members = new();

    public bool IsSensitive(IReadOnlyProperty property) =>
        (property.PropertyInfo ?? (MemberInfo?)property.FieldInfo) is { } member
        && _members.GetOrAdd(member, static m => m.IsDefined(typeof(SensitiveAttribute), inherit: true));
}
