using Mindora.Testing;

namespace DocumentProcessor.Tests;

/// <summary>Test classes in this collection share one set of real servers (started once for the run); each test provisions its own app.</summary>
[CollectionDefinition(SharedServers.Collection)]
public sealed class SharedServersDefinition : ICollectionFixture<SharedServers>;
