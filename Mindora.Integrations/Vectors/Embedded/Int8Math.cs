using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mindora.Integrations.Vectors.Embedded;

/// <summary>
/// The dot product of two int8 vectors, exact in int32 (|code| ≤ 127, so 127² × 4096 dimensions
/// cannot overflow). System.Numerics.Tensors has no widening int8 dot, so this widens to int16
/// and uses the multiply-add of adjacent pairs (vpmaddwd) where the CPU has it. No AVX-512 path: the walk
/// waits for memory (touching its cache lines ahead gave 1.4x), not for arithmetic.
/// </summary>
internal static class Int8Math
{
    public static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        var length = Math.Min(a.Length, b.Length);
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        var i = 0;
        var sum = 0;
        if (Avx2.IsSupported && length >= 32)
        {
            var acc = Vector256<int>.Zero;
            for (; i <= length - 32; i += 32)
            {
                var (aLow, aHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref ra, (nuint)i));
                var (bLow, bHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref rb, (nuint)i));
                acc += Avx2.MultiplyAddAdjacent(aLow, bLow) + Avx2.MultiplyAddAdjacent(aHigh, bHigh);
            }

            sum = Vector256.Sum(acc);
        }
        else if (Vector128.IsHardwareAccelerated && length >= 16)
        {
            var acc = Vector128<int>.Zero;
            for (; i <= length - 16; i += 16)
            {
                var (aLow, aHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref ra, (nuint)i));
                var (bLow, bHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref rb, (nuint)i));
                acc += Pairs(aLow * bLow) + Pairs(aHigh * bHigh);
            }

            sum = Vector128.Sum(acc);
        }

        for (; i < length; i++)
        {
            sum += Unsafe.Add(ref ra, i) * Unsafe.Add(ref rb, i);
        }

        return sum;
    }

    // Products of two int8 values fit in int16; widen them before summing.
    private static Vector128<int> Pairs(Vector128<short> products)
    {
        var (low, high) = Vector128.Widen(products);
        return low + high;
    }
}
