using Mindora.Integrations.Messaging;

namespace Mindora.Integrations.Tests.Messaging;

/// <summary>The envelope's AMQP form: what goes on the wire for every publish, and what is read back.</summary>
public sealed class RabbitEnvelopeTests
{
    private static readonly DateTimeOffset SentAt = new(2026, 11, 22, 18, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public void A_first_attempt_carries_no_attempt_header_and_reads_back_as_attempt_one()
    {
        var properties = RabbitEnvelope.Properties(Envelope(attempt: 1));

        Assert.Equal([MessageEnvelope.SentAtHeader, "tenant"], properties.Headers!.Keys.Order(StringComparer.Ordinal));
        var read = RabbitEnvelope.Read(properties, "1"u8.ToArray());
        Assert.Equal(1, read.Attempt);
        Assert.Equal(SentAt, read.Timestamp);
        Assert.Equal("acme", read.Headers["tenant"]);
    }

    [Fact]
    public void A_retry_carries_its_attempt_as_an_integer_and_reads_it_back()
    {
        var properties = RabbitEnvelope.Properties(Envelope(attempt: 3));

        Assert.Equal(3, properties.Headers![MessageEnvelope.AttemptHeader]);
        var read = RabbitEnvelope.Read(properties, "1"u8.ToArray());
        Assert.Equal(3, read.Attempt);
        Assert.DoesNotContain(MessageEnvelope.AttemptHeader, read.Headers.Keys);
    }

    private static MessageEnvelope Envelope(int attempt) =>
        new("m1", null, "Int32", SentAt, "1"u8.ToArray(), new Dictionary<string, string> { ["tenant"] = "acme" }, Attempt: attempt);
}
