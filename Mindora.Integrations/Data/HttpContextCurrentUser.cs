using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Mindora.Integrations.Data;

/// <summary>The default <see cref="IMindoraCurrentUser"/>: the request's authenticated user, else <c>system</c>.</summary>
internal sealed class HttpContextCurrentUser(IHttpContextAccessor? accessor) : IMindoraCurrentUser
{
    public const string System = "system";

    public string UserName
    {
        get
        {
            var user = accessor?.HttpContext?.User;
            if (user?.Identity is not { IsAuthenticated: true } identity)
            {
                return System;
            }

            var name = identity.Name ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value;
            return string.IsNullOrWhiteSpace(name) ? System : name;
        }
    }
}
