using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Mindora.Integrations.Data;

/// <summary>
/// Finds a context's migrations like EF Core does, but keeps each provider's set apart by
/// namespace, so one assembly can hold both: a migration or snapshot in a namespace with a
/// segment <c>Postgres</c>/<c>PostgreSql</c>/<c>Npgsql</c> serves PostgreSQL only, one with a
/// <c>Sqlite</c> segment SQLite only, any other both. <c>dotnet ef migrations add … -o
/// Migrations/Sqlite</c> therefore diffs against the SQLite snapshot and writes a SQLite migration.
/// </summary>
internal sealed class ProviderMigrationsAssembly : IMigrationsAssembly
{
    private readonly Type _contextType;
    private readonly MindoraDataProvider _provider;
    private readonly IMigrationsIdGenerator _ids;
    private readonly Lazy<IReadOnlyDictionary<string, TypeInfo>> _migrations;
    private readonly Lazy<ModelSnapshot?> _snapshot;

    public ProviderMigrationsAssembly(ICurrentDbContext currentContext, IDbContextOptions options, IMigrationsIdGenerator ids)
    {
        _contextType = currentContext.Context.GetType();
        _provider = DataProviders.Of(currentContext.Context);
        _ids = ids;
        var relational = RelationalOptionsExtension.Extract(options);
        Assembly = relational.MigrationsAssemblyObject
            ?? (relational.MigrationsAssembly is { } name ? Assembly.Load(new AssemblyName(name)) : _contextType.Assembly);
        _migrations = new Lazy<IReadOnlyDictionary<string, TypeInfo>>(FindMigrations);
        _snapshot = new Lazy<ModelSnapshot?>(FindSnapshot);
    }

    public IReadOnlyDictionary<string, TypeInfo> Migrations => _migrations.Value;

    public ModelSnapshot? ModelSnapshot => _snapshot.Value;

    public Assembly Assembly { get; }

    public string? FindMigrationId(string nameOrId) =>
        Migrations.Keys.FirstOrDefault(id => _ids.IsValidId(nameOrId)
            ? string.Equals(id, nameOrId, StringComparison.OrdinalIgnoreCase)
            : string.Equals(_ids.GetName(id), nameOrId, StringComparison.OrdinalIgnoreCase));

    public Migration CreateMigration(TypeInfo migrationClass, string activeProvider)
    {
        ArgumentNullException.ThrowIfNull(migrationClass);
        var migration = (Migration)Activator.CreateInstance(migrationClass.AsType())!;
        migration.ActiveProvider = activeProvider;
        return migration;
    }

    /// <summary>The provider a namespace is dedicated to, or null when it serves every provider.</summary>
    internal static MindoraDataProvider? ProviderOf(string? @namespace)
    {
        MindoraDataProvider? found = null;
        foreach (var segment in (@namespace ?? string.Empty).Split('.'))
        {
            if (segment.Equals("Postgres", StringComparison.OrdinalIgnoreCase) || segment.Equals("PostgreSql", StringComparison.OrdinalIgnoreCase) || segment.Equals("Npgsql", StringComparison.OrdinalIgnoreCase))
            {
                found = MindoraDataProvider.PostgreSql;
            }
            else if (segment.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
            {
                found = MindoraDataProvider.Sqlite;
            }
        }

        return found;
    }

    private SortedList<string, TypeInfo> FindMigrations()
    {
        var result = new SortedList<string, TypeInfo>(StringComparer.Ordinal);
        foreach (var type in OwnTypes(typeof(Migration)))
        {
            if (type.GetCustomAttribute<MigrationAttribute>()?.Id is { } id)
            {
                result.Add(id, type);
            }
        }

        return result;
    }

    private ModelSnapshot? FindSnapshot() =>
        OwnTypes(typeof(ModelSnapshot)).Select(t => (ModelSnapshot)Activator.CreateInstance(t.AsType())!).FirstOrDefault();

    /// <summary>Concrete subclasses of <paramref name="baseType"/> for this context and provider.</summary>
    private IEnumerable<TypeInfo> OwnTypes(Type baseType) =>
        LoadableTypes(Assembly)
            .Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false } && t.IsSubclassOf(baseType)
                && t.GetCustomAttribute<DbContextAttribute>()?.ContextType == _contextType
                && (ProviderOf(t.Namespace) is not { } provider || provider == _provider))
            .Select(t => t.GetTypeInfo());

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.Where(t => t is not null)!;
        }
    }
}
