using Xunit.Abstractions;
using Xunit.Sdk;

namespace Mindora.Integrations.Tests.Support;

/// <summary>
/// Marks a suite subclass that needs a server named by an environment variable (e.g.
/// MINDORA_TEST_QDRANT): without it, every inherited <see cref="SuiteFactAttribute"/> and
/// <see cref="SuiteTheoryAttribute"/> of the class is reported as skipped with this reason.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresServerAttribute(string environmentVariable, string server) : Attribute
{
    public string EnvironmentVariable { get; } = environmentVariable;

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
            ? $"SKIPPED: no {arguments[1]} server; set {arguments[0]} to run the suite against one."
            : null;
    }
}

/// <summary>A fact of an abstract suite; skipped in subclasses whose <see cref="RequiresServerAttribute"/> is not met.</summary>
[XunitTestCaseDiscoverer("Mindora.Integrations.Tests.Support.SuiteFactDiscoverer", "Mindora.Integrations.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class SuiteFactAttribute : FactAttribute;

/// <summary>A theory of an abstract suite; skipped in subclasses whose <see cref="RequiresServerAttribute"/> is not met.</summary>
[XunitTestCaseDiscoverer("Mindora.Integrations.Tests.Support.SuiteTheoryDiscoverer", "Mindora.Integrations.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class SuiteTheoryAttribute : TheoryAttribute;

public sealed class SuiteFactDiscoverer(IMessageSink sink) : SuiteDiscoverer(sink, new FactDiscoverer(sink));

public sealed class SuiteTheoryDiscoverer(IMessageSink sink) : SuiteDiscoverer(sink, new TheoryDiscoverer(sink));

/// <summary>Discovers with xunit's own discoverer unless the test class's server requirement is not met.</summary>
public abstract class SuiteDiscoverer(IMessageSink sink, IXunitTestCaseDiscoverer inner) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        RequiresServerAttribute.SkipReason(testMethod) is { } reason
            ? [new SkippedTestCase(sink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)]
            : inner.Discover(discoveryOptions, testMethod, factAttribute);
}

/// <summary>A test case skipped for a reason decided at discovery; the reason is recomputed after deserialization.</summary>
public sealed class SkippedTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer", error: true)]
    public SkippedTestCase()
    {
    }

    public SkippedTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method, string reason)
        : base(sink, display, options, method)
    {
        SkipReason = reason;
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) => RequiresServerAttribute.SkipReason(TestMethod) ?? "SKIPPED: server requirement changed";
}
