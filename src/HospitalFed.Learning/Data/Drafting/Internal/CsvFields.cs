using System.Text;

namespace HospitalFed.Learning.Data.Drafting.Internal;

/// <summary>
/// Splits one extract line into trimmed field strings with the loader's rules: RFC 4180 quoting
/// within a line (a field starting with a quote, <c>""</c> for a quote inside), spaces trimmed.
/// </summary>
internal static class CsvFields
{
    /// <summary>Splits <paramref name="line"/>; returns null and sets <paramref name="error"/> (with the 1-based character column) when a quote is malformed.</summary>
    public static List<string>? Split(string line, char delimiter, out (int Column, string Reason)? error)
    {
        error = null;
        var fields = new List<string>();
        var i = 0;
        var builder = new StringBuilder();
        while (true)
        {
            var start = i;
            builder.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        error = (start + 1, "unterminated quoted field");
                        return null;
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            builder.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    builder.Append(line[i++]);
                }

                if (i < line.Length && line[i] != delimiter)
                {
                    error = (i + 1, "text after the closing quote");
                    return null;
                }
            }
            else
            {
                var end = line.IndexOf(delimiter, i);
                var length = end < 0 ? line.Length - i : end - i;
                builder.Append(line, i, length);
                i += length;
            }

            fields.Add(builder.ToString().Trim(' '));
            if (i >= line.Length)
            {
                return fields;
            }

            i++; // the delimiter
        }
    }

    /// <summary>The most frequent of comma, semicolon, tab and pipe outside quotes in <paramref name="line"/> (comma when none occurs).</summary>
    public static char DetectDelimiter(string line)
    {
        var candidates = new[] { ',', ';', '\t', '|' };
        var counts = new int[candidates.Length];
        var quoted = false;
        foreach (var c in line)
        {
            quoted ^= c == '"';
            var k = Array.IndexOf(candidates, c);
            if (!quoted && k >= 0)
            {
                counts[k]++;
            }
        }

        var best = Array.IndexOf(counts, counts.Max());
        return counts[best] == 0 ? ',' : candidates[best];
    }
}
