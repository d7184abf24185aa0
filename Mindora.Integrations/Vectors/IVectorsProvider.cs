namespace Mindora.Integrations.Vectors;

/// <summary>What every Vectors provider (Qdrant, embedded) offers to the DI wiring.</summary>
internal interface IVectorsProvider : IMindoraVectors, IMindoraHealthProbe, IDisposable;
