using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Mindora.Integrations.Tests.Support;

/// <summary>
/// A fact of an abstract suite. A subclass whose provider cannot run here is marked
/// <see cref="RequiresServerAttribute"/> or declares <c>public static string? SuiteSkipReason</c>;
/// when that gives a reason, every inherited test of that subclass is reported as skipped with it
/// (xunit 2 has no per-class skip).
/// </summary>
[XunitTestCaseDiscoverer("Mindora.Integrations.Tests.Support.SuiteFactDiscoverer", "Mindora.Integrations.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class SuiteFactAttribute : FactAttribute;

/// <summary>A theory of an abstract suite; skipped like <see cref="SuiteFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer("Mindora.Integrations.Tests.Support.SuiteTheoryDiscoverer", "Mindora.Integrations.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class SuiteTheoryAttribute : TheoryAttribute;

internal static class SuiteSkip
{
    public static string? Reason(ITestMethod method) =>
        RequiresServerAttribute.SkipReason(method) ?? method.TestClass.Class.ToRuntimeType()
            ?.GetProperty("SuiteSkipReason", BindingFlags.Public | BindingFlags.Static | BindingFlags.FlattenHierarchy)
            ?.GetValue(null) as string;

    public static IXunitTestCase Skipped(IMessageSink sink, ITestFrameworkDiscoveryOptions options, ITestMethod method, string reason) =>
        new XunitSkippedDataRowTestCase(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), method, reason);
}

public sealed class SuiteFactDiscoverer(IMessageSink sink) : FactDiscoverer(sink)
{
    private readonly IMessageSink _sink = sink;

    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        SuiteSkip.Reason(testMethod) is { } reason
            ? [SuiteSkip.Skipped(_sink, discoveryOptions, testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, factAttribute);
}

public sealed class SuiteTheoryDiscoverer(IMessageSink sink) : TheoryDiscoverer(sink)
{
    private readonly IMessageSink _sink = sink;

    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        SuiteSkip.Reason(testMethod) is { } reason
            ? [SuiteSkip.Skipped(_sink, discoveryOptions, testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}
