using System.Text;

namespace HospitalFed.IntegrationTests;

/// <summary>The commands of docs/walkthrough.md: every fenced block whose info string is <c>sh walkthrough</c>, in order.</summary>
internal static class WalkthroughScript
{
    /// <summary>The info string that marks a block the test runs.</summary>
    public const string Marker = "```sh walkthrough";

    /// <summary>docs/walkthrough.md of this checkout, found above the test directory.</summary>
    public static string Document()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", "walkthrough.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/walkthrough.md not found above the test directory.");
    }

    /// <summary>The marked blocks' lines, joined in document order, exactly as written.</summary>
    public static IReadOnlyList<string> Blocks(string markdown)
    {
        var blocks = new List<string>();
        StringBuilder? block = null;
        foreach (var line in markdown.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (block is null)
            {
                if (line == Marker)
                {
                    block = new StringBuilder();
                }
            }
            else if (line == "```")
            {
                blocks.Add(block.ToString());
                block = null;
            }
            else
            {
                block.Append(line).Append('\n');
            }
        }

        return block is null ? blocks : throw new InvalidDataException("docs/walkthrough.md: a walkthrough block is not closed");
    }
}
