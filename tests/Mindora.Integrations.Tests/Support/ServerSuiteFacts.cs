using Xunit.Abstractions;

namespace Mindora.Integrations.Tests.Support;

/// <summary>
/// Marks a suite subclass that needs a server named by an environment variable (e.g.
/// MINDORA_TEST_QDRANT): without it, every inherited <see cref="SuiteFactAttribute"/> and
/// <see cref="SuiteTheoryAttribute"/> of the class is reported as skipped with this reason.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresServerAttribute(string variable, string server) : Attribute
{
    public string Variable { get; } = variable;

    public string Server { get; } = server;

    internal static string? SkipReason(ITestMethod method)
    {
        var required = method.TestClass.Class.GetCustomAttributes(typeof(RequiresServerAttribute)).FirstOrDefault();
        if (required is null)
        {
            return null;
        }

        var arguments = required.GetConstructorArguments().Cast<string>().ToArray();
        return string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(arguments[0]))
            ? $"SKIPPED: no {arguments[1]} server can run on this machine; set {arguments[0]} to run the suite against one."
            : null;
    }
}
