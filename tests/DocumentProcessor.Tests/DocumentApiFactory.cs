using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DocumentProcessor.Tests;

/// <summary>Hosts the DocumentProcessor API in memory on the embedded stores of one <see cref="TestStore"/>.</summary>
public sealed class DocumentApiFactory(TestStore store, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");

        // UseSetting (not a late configuration source): Program reads the connection strings
        // while it registers services, before the host is built.
        foreach (var (key, value) in store.ConnectionStrings.Concat(settings ?? new Dictionary<string, string?>()))
        {
            builder.UseSetting(key, value);
        }
    }
}
