using System.Text;

namespace Mindora.Integrations.Data;

/// <summary>
/// Statement text fit for a span: string and number literals become <c>?</c>. EF Core sends
/// values as parameters already, but it writes constants from the query's code inline (and raw
/// SQL may carry anything), so literals are masked too. Identifiers, quoted identifiers and
/// parameter placeholders (<c>@p0</c>, <c>$1</c>) stay.
/// </summary>
internal static class SqlSanitizer
{
    public static string Sanitize(string sql)
    {
        var result = new StringBuilder(sql.Length);
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '\'')
            {
                i = SkipQuoted(sql, i, '\'');
                result.Append('?');
            }
            else if (c == '"')
            {
                var end = SkipQuoted(sql, i, '"');
                result.Append(sql, i, end - i);
                i = end;
            }
            else if (char.IsAsciiDigit(c) && (i == 0 || !IsWordChar(sql[i - 1])))
            {
                while (i < sql.Length && (char.IsAsciiDigit(sql[i]) || sql[i] == '.' || sql[i] == 'e' || sql[i] == 'E'))
                {
                    i++;
                }

                result.Append('?');
            }
            else
            {
                result.Append(c);
                i++;
            }
        }

        return result.ToString();
    }

    /// <summary>The index after a quoted run starting at <paramref name="start"/> (a doubled quote is an escaped one).</summary>
    private static int SkipQuoted(string sql, int start, char quote)
    {
        var i = start + 1;
        while (i < sql.Length)
        {
            if (sql[i] == quote)
            {
                if (i + 1 < sql.Length && sql[i + 1] == quote)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return sql.Length;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$' or '@' or ':';
}
