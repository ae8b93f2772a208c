using System.Text;

namespace HospitalFed.IntegrationTests;

/// <summary>
/// Commands the guides mark for testing: fenced blocks whose info string is <c>sh walkthrough</c>
/// (docs/walkthrough.md) or <c>sh extract</c> (docs/operations-guide.md, each followed by a
/// <c>text</c> block with its output), in document order, exactly as written.
/// </summary>
internal static class WalkthroughScript
{
    /// <summary>The info string that marks a block the test runs.</summary>
    public const string Marker = "```sh walkthrough";

    /// <summary>docs/walkthrough.md of this checkout, found above the test directory.</summary>
    public static string Document() => Document("walkthrough.md");

    /// <summary>docs/<paramref name="name"/> of this checkout, found above the test directory.</summary>
    public static string Document(string name)
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"docs/{name} not found above the test directory.");
    }

    /// <summary>The blocks marked <see cref="Marker"/>, in document order, exactly as written.</summary>
    public static IReadOnlyList<string> Blocks(string markdown) =>
        [.. Fences(markdown).Where(f => f.Info == Marker[3..]).Select(f => f.Body)];

    /// <summary>Each block whose info string is <paramref name="info"/> with the <c>text</c> block right after it (its documented output; empty if none).</summary>
    public static IReadOnlyList<(string Commands, string Output)> Examples(string markdown, string info)
    {
        var fences = Fences(markdown);
        return [.. fences.Select((f, i) => (f, i)).Where(p => p.f.Info == info)
            .Select(p => (p.f.Body, p.i + 1 < fences.Count && fences[p.i + 1].Info == "text" ? fences[p.i + 1].Body : string.Empty))];
    }

    /// <summary>Every fenced block: its info string and its lines.</summary>
    private static List<(string Info, string Body)> Fences(string markdown)
    {
        var fences = new List<(string Info, string Body)>();
        string? info = null;
        var block = new StringBuilder();
        foreach (var line in markdown.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (info is null)
            {
                if (line.StartsWith("```", StringComparison.Ordinal))
                {
                    info = line[3..];
                    block.Clear();
                }
            }
            else if (line == "```")
            {
                fences.Add((info, block.ToString()));
                info = null;
            }
            else
            {
                block.Append(line).Append('\n');
            }
        }

        return info is null ? fences : throw new InvalidDataException("a fenced block is not closed");
    }
}
