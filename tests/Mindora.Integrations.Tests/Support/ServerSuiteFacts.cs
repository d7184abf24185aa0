using Xunit.Abstractions;
using Xunit.Sdk;

namespace Mindora.Integrations.Tests.Support;

/// <summary>
/// Marks a suite subclass that needs a server which cannot run here: when the environment variable
/// is not set, every test of the class is reported as skipped with this reason (the suite's tests
/// use <see cref="SuiteFactAttribute"/> and <see cref="SuiteTheoryAttribute"/>, which read it).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresServerAttribute(string variable, string server) : Attribute
{
    public string Variable { get; } = variable;

    public string Server { get; } = server;

    /// <summary>The skip reason for the test class, or null when its server is configured.</summary>
    internal static string? SkipReason(ITestMethod testMethod)
    {
        var attribute = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresServerAttribute)).FirstOrDefault();
        if (attribute is null)
        {
            return null;
        }

        var arguments = attribute.GetConstructorArguments().Cast<string>().ToArray();
        return Environment.GetEnvironmentVariable(arguments[0]) is { Length: > 0 }
            ? null
            : $"SKIPPED: {arguments[1]} cannot run on this machine; set {arguments[0]} to a server URL to run this suite against it.";
    }
}

/// <summary>A fact of a provider suite: skipped for a subclass whose server is not configured.</summary>
[XunitTestCaseDiscoverer("Mindora.Integrations.Tests.Support.SuiteFactDiscoverer", "Mindora.Integrations.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class SuiteFactAttribute : FactAttribute;

/// <summary>A theory of a provider suite: skipped for a subclass whose server is not configured.</summary>
[XunitTestCaseDiscoverer("Mindora.Integrations.Tests.Support.SuiteTheoryDiscoverer", "Mindora.Integrations.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class SuiteTheoryAttribute : TheoryAttribute;

public sealed class SuiteFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        RequiresServerAttribute.SkipReason(testMethod) is { } reason
            ? [new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, factAttribute);
}

public sealed class SuiteTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        RequiresServerAttribute.SkipReason(testMethod) is { } reason
            ? [new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}
