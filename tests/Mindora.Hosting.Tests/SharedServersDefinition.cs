using Mindora.Testing;

namespace Mindora.Hosting.Tests;

/// <summary>Test classes in this collection share one set of real servers (started once for the run).</summary>
[CollectionDefinition(SharedServers.Collection)]
public sealed class SharedServersDefinition : ICollectionFixture<SharedServers>;
