using System.Runtime.CompilerServices;

// The cache and task benchmarks also measure the RESP client on its own, below the public APIs.
[assembly: InternalsVisibleTo("CacheBench")]
[assembly: InternalsVisibleTo("TasksBench")]
