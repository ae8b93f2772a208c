namespace HospitalFed.Cli.Tests.Ledger;

/// <summary>Runs the real <c>hfed</c> command line in-process with captured output.</summary>
internal static class Hfed
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exit = await CliRunner.RunAsync(args, output, error, timeout.Token).WaitAsync(TimeSpan.FromSeconds(90));
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Asserts a failure: non-zero exit, exactly one line on stderr starting "hfed:", no stack trace.</summary>
    public static void AssertOneLineFailure((int Exit, string Out, string Err) result, string expected)
    {
        var lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(result.Exit, Is.Not.Zero);
            Assert.That(lines, Has.Length.EqualTo(1), result.Err);
            Assert.That(result.Err, Does.StartWith("hfed: ").And.Contain(expected));
            Assert.That(result.Err + result.Out, Does.Not.Contain("   at "));
        });
    }
}
