using Mindora.Integrations.Vectors.Embedded;

namespace Mindora.Integrations.Tests.Vectors;

/// <summary>The int8 copy of the vectors that the HNSW walk reads.</summary>
public sealed class Int8QuantizationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(33)]
    [InlineData(64)]
    [InlineData(127)]
    [InlineData(768)]
    [InlineData(4096)]
    public void The_int8_dot_product_equals_the_plain_sum_of_products_at_every_length(int length)
    {
        var random = new Random(length);
        var a = new sbyte[length];
        var b = new sbyte[length];
        for (var i = 0; i < length; i++)
        {
            a[i] = (sbyte)random.Next(-127, 128);
            b[i] = i % 7 == 0 ? (sbyte)-127 : (sbyte)random.Next(-127, 128);
        }

        var expected = 0;
        for (var i = 0; i < length; i++)
        {
            expected += a[i] * b[i];
        }

        Assert.Equal(expected, Int8Math.Dot(a, b));
    }

    [Fact]
    public void The_extreme_int8_dot_product_of_4096_dimensions_does_not_overflow()
    {
        var a = Enumerable.Repeat((sbyte)-127, 4096).ToArray();

        Assert.Equal(127 * 127 * 4096, Int8Math.Dot(a, a));
    }

    [Fact]
    public void Quantized_vectors_keep_their_dot_product_within_a_small_error()
    {
        var random = new Random(3);
        var slots = new QuantizedSlots(768);
        var x = Enumerable.Range(0, 768).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var y = Enumerable.Range(0, 768).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        slots.Add(x);
        slots.Add(y);

        var exact = x.Zip(y, (p, q) => p * q).Sum();
        var approximate = slots.Scale(0) * slots.Scale(1) * Int8Math.Dot(slots.Codes(0), slots.Codes(1));

        Assert.InRange(approximate - exact, -0.05f, 0.05f);
        Assert.True(slots.Matches(1, y, new sbyte[768]));
        Assert.False(slots.Matches(0, y, new sbyte[768]));
        Assert.Equal(x.Sum(v => v * v), slots.SquaredNorm(0), 2);
    }

    [Fact]
    public void A_zero_vector_quantizes_to_zero_codes_without_dividing_by_zero()
    {
        var codes = new sbyte[8];

        var scale = QuantizedSlots.Quantize(new float[8], codes);

        Assert.Equal(0, scale);
        Assert.All(codes, c => Assert.Equal(0, c));
    }
}
