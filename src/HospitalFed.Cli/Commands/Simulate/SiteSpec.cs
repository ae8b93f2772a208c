namespace HospitalFed.Cli.Commands.Simulate;

/// <summary>One <c>--site NAME=train.csv,test.csv</c> of <c>hfed simulate</c>.</summary>
/// <param name="Name">The site's name (a table column).</param>
/// <param name="TrainPath">The site's training extract.</param>
/// <param name="TestPath">The site's test extract.</param>
internal sealed record SiteSpec(string Name, string TrainPath, string TestPath)
{
    /// <summary>Parses one <c>--site</c> value.</summary>
    /// <exception cref="CliException">The value is not NAME=TRAIN,TEST with three non-empty parts.</exception>
    public static SiteSpec Parse(string value)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new CliException($"--site '{value}' must be NAME=TRAIN.csv,TEST.csv (no site name before '=')");
        }

        var files = value[(equals + 1)..].Split(',');
        if (files.Length != 2)
        {
            var found = files.Length == 1 ? "no comma between the training and test files" : $"{files.Length - 1} commas; file names cannot contain one";
            throw new CliException($"--site '{value}' must be NAME=TRAIN.csv,TEST.csv ({found})");
        }

        if (files[0].Trim().Length == 0 || files[1].Trim().Length == 0)
        {
            throw new CliException($"--site '{value}' must be NAME=TRAIN.csv,TEST.csv (an empty file name)");
        }

        return new SiteSpec(value[..equals].Trim(), files[0].Trim(), files[1].Trim());
    }
}
