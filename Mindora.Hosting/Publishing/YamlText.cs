using System.Globalization;
using System.Text;

namespace Mindora.Hosting.Publishing;

/// <summary>A small YAML emitter for the compose file: block mappings and lists, every scalar double-quoted.</summary>
internal sealed class YamlText
{
    private readonly StringBuilder _text = new();

    public static string Quote(string value)
    {
        var escaped = value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
        return $"\"{escaped}\"";
    }

    public YamlText Comment(string text)
    {
        _text.Append("# ").AppendLine(text);
        return this;
    }

    public YamlText Blank()
    {
        _text.AppendLine();
        return this;
    }

    /// <summary>Opens a mapping under <paramref name="key"/>.</summary>
    public YamlText Key(int indent, string key)
    {
        _text.Append(' ', indent * 2).Append(key).AppendLine(":");
        return this;
    }

    public YamlText Value(int indent, string key, string value)
    {
        _text.Append(' ', indent * 2).Append(key).Append(": ").AppendLine(Quote(value));
        return this;
    }

    /// <summary>A value written as is (numbers, booleans, YAML keywords).</summary>
    public YamlText Raw(int indent, string key, string value)
    {
        _text.Append(' ', indent * 2).Append(key).Append(": ").AppendLine(value);
        return this;
    }

    public YamlText Item(int indent, string value)
    {
        _text.Append(' ', indent * 2).Append("- ").AppendLine(Quote(value));
        return this;
    }

    public YamlText Flow(int indent, string key, IEnumerable<string> values)
    {
        _text.Append(' ', indent * 2).Append(key).Append(": [").Append(string.Join(", ", values.Select(Quote))).AppendLine("]");
        return this;
    }

    public override string ToString() => _text.ToString();

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
