using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Mindora.Integrations.Data;

/// <summary>Finds the interceptors <c>AddMindoraDbContext</c> put on a context (none on a plain context).</summary>
internal static class DataInterceptors
{
    public static T? Find<T>(DbContext db)
        where T : class =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<T>().FirstOrDefault();
}
