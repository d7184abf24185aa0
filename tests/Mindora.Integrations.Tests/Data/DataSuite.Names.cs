using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Data;
using Mindora.Integrations.Tests.Hosting;

namespace Mindora.Integrations.Tests.Data;

public abstract partial class DataSuite
{
    [Theory]
    [InlineData("Bad_Name")]
    [InlineData("x\"; DROP SCHEMA public CASCADE; --")]
    [InlineData("a")]
    public async Task Invalid_app_names_are_rejected_before_any_sql(string app)
    {
        var target = await NewTargetAsync();

        var configured = HostBuilders.Create(("ConnectionStrings:db", target.ConnectionString), ("Mindora:App", app));
        Assert.Equal("app", Assert.Throws<MindoraInvalidNameException>(() => configured.AddMindoraDbContext<NotesContext>("db")).Kind);
        Assert.Throws<MindoraInvalidNameException>(() => HostBuilders.Create().AddMindora(app));
        Assert.Throws<MindoraInvalidNameException>(() => MindoraDesignTime.CreateOptions<NotesContext>(app, target.ConnectionString));
    }
}
