using System.Text;

namespace HospitalFed.IntegrationTests;

/// <summary>
/// A child process's stdout and stderr lines gathered into one buffer from the two event threads
/// that deliver them, and read while the process may still be writing.
/// </summary>
internal static class CapturedOutput
{
    /// <summary>Appends <paramref name="line"/> (the null that marks the end of a stream is ignored).</summary>
    public static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    /// <summary>What has been gathered so far.</summary>
    public static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
