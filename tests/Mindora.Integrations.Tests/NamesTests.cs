namespace Mindora.Integrations.Tests;

public sealed class NamesTests
{
    [Theory]
    [InlineData("docs")]
    [InlineData("my-app2")]
    [InlineData("ab")]
    [InlineData("a234567890123456789012345678901")] // 31 characters
    public void Valid_app_names_are_accepted(string name) => Assert.Equal(name, MindoraNames.ValidateAppName(name));

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("Docs")]
    [InlineData("1docs")]
    [InlineData("-docs")]
    [InlineData("docs_x")]
    [InlineData("docs.x")]
    [InlineData("docs:x")]
    [InlineData("a2345678901234567890123456789012")] // 32 characters
    [InlineData(null)]
    public void Invalid_app_names_are_rejected_with_the_rule(string? name)
    {
        var error = Assert.Throws<MindoraInvalidNameException>(() => MindoraNames.ValidateAppName(name));
        Assert.Equal("app", error.Kind);
        Assert.Contains(MindoraNames.AppNameRule, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("reports/2024/q1.pdf")]
    [InlineData("..%2f")]
    [InlineData("..%2f..%2fetc%2fpasswd")]
    [InlineData("a..b/c..")]
    [InlineData("résumé.pdf")]
    [InlineData("emoji-😀.png")]
    [InlineData("with space/and+plus")]
    public void Valid_object_keys_are_accepted(string key) => Assert.Equal(key, MindoraNames.ValidateObjectKey(key));

    [Fact]
    public void Object_key_of_exactly_1024_bytes_is_accepted() =>
        MindoraNames.ValidateObjectKey(new string('k', 1024));

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a/../b")]
    [InlineData("a/./b")]
    [InlineData("../a")]
    [InlineData("a/..")]
    [InlineData("/abs")]
    [InlineData("a//b")]
    [InlineData("a/")]
    [InlineData("a\0b")]
    [InlineData("a\u0001b")]
    [InlineData("line\nbreak")]
    [InlineData("del\u007f")]
    [InlineData("a\\b")]
    [InlineData("..\\..\\x")]
    [InlineData("")]
    [InlineData(null)]
    public void Invalid_object_keys_are_rejected(string? key)
    {
        var error = Assert.Throws<MindoraInvalidNameException>(() => MindoraNames.ValidateObjectKey(key));
        Assert.Equal("object key", error.Kind);
        Assert.Equal("invalid_name", error.ErrorCode);
    }

    [Fact]
    public void Object_keys_with_lone_surrogates_are_rejected()
    {
        // Built in code: xunit replaces lone surrogates in attribute data with U+FFFD.
        string[] keys = [new string('\ud800', 1), "x" + '\udc00' + "y", "x" + '\ud83d', '\udc00' + "\ud83d\ude00"];
        Assert.All(keys, key => Assert.Throws<MindoraInvalidNameException>(() => MindoraNames.ValidateObjectKey(key)));
        Assert.Equal("\ud83d\ude00", MindoraNames.ValidateObjectKey("\ud83d\ude00"));
    }

    [Fact]
    public void Object_key_of_1025_bytes_is_rejected()
    {
        Assert.Throws<MindoraInvalidNameException>(() => MindoraNames.ValidateObjectKey(new string('k', 1025)));
        Assert.Throws<MindoraInvalidNameException>(() => MindoraNames.ValidateObjectKey(new string('é', 513))); // 1026 bytes in UTF-8
    }

    [Fact]
    public void Rejection_message_never_echoes_control_characters()
    {
        var error = Assert.Throws<MindoraInvalidNameException>(() => MindoraNames.ValidateObjectKey("evil\u001b[31m"));
        Assert.DoesNotContain('\u001b', error.Message);
    }
}
