using System.Runtime.CompilerServices;

// The cache benchmark also measures the RESP client on its own, below the public cache API.
[assembly: InternalsVisibleTo("CacheBench")]
