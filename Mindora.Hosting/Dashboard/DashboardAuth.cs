using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Mindora.Hosting.Dashboard;

/// <summary>
/// The login token printed at start protects the page and the API: <c>/login?t=TOKEN</c> sets an
/// HttpOnly cookie; scripts may send <c>Authorization: Bearer TOKEN</c> instead.
/// </summary>
internal sealed class DashboardAuth(string? token)
{
    public const string CookieName = "mindora-dashboard";

    public bool IsEnabled => token is not null;

    public bool IsAuthorized(HttpContext context)
    {
        if (token is null)
        {
            return true;
        }

        if (context.Request.Cookies.TryGetValue(CookieName, out var cookie) && Matches(cookie))
        {
            return true;
        }

        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && Matches(header["Bearer ".Length..]);
    }

    public bool Matches(string? candidate) =>
        token is not null && candidate is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), Encoding.UTF8.GetBytes(token));

    public void SignIn(HttpContext context) =>
        context.Response.Cookies.Append(CookieName, token!, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", IsEssential = true });
}
