using System.CommandLine;
using System.Text;
using HospitalFed.Cli.Commands;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Simulation;
using HospitalFed.Site.State;
using HospitalFed.Site.Tests;

namespace HospitalFed.Cli.Tests.Site;

/// <summary>`hfed site heads export`: the heads a site countersigned, in the file `audit verify --head` reads.</summary>
public sealed class SiteHeadsCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task SiteHeadsExport_StateWithHeads_WritesOneCountersignatureLinePerHead()
    {
        // Arrange
        using var site = new SiteDirectory();
        using var consortium = ConsortiumSimulation.Create(sites: 3);
        var planId = ConsortiumSimulation.Plan(rounds: 2).Id;
        string[] heads = [Countersignature(consortium, planId, 9), Countersignature(consortium, planId, 21)];
        new SiteStateStore(site.PathOf("site.state")).Save(new SitePlanState(planId, true, null, 2, 2, 2, null, true) { Heads = heads });
        var target = site.PathOf("heads.jsonl");
        var output = new StringWriter();

        // Act
        var exit = await Run(["site", "heads", "export", "--config", site.Config, "--out", target], output, output);

        // Assert
        Assert.That(exit, Is.Zero, output.ToString());
        Assert.That(File.ReadAllText(target), Is.EqualTo(string.Concat(heads.Select(h => h + "\n"))));
        Assert.That(LogVerifierLines(target).Select(l => LogLine.Decode(l, out _).Kind), Is.All.EqualTo(LogEntryKind.Countersignature));
        Assert.That(output.ToString(), Does.Contain("wrote 2 countersigned tree heads").And.Contain("the last covers 21 entries"));
    }

    [Test]
    public async Task SiteHeadsExport_NoState_OneLineNamingTheStateFile()
    {
        // Arrange
        using var site = new SiteDirectory();
        var error = new StringWriter();

        // Act
        var exit = await Run(["site", "heads", "export", "--config", site.Config, "--out", site.PathOf("heads.jsonl")], TextWriter.Null, error);

        // Assert
        Assert.That(exit, Is.Not.Zero);
        Assert.That(error.ToString().Trim(), Does.StartWith("hfed: ").And.Contain(Path.Combine("site.state", SiteStateStore.FileName)).And.Contain("no site state").And.Not.Contain("\n"));
        Assert.That(File.Exists(site.PathOf("heads.jsonl")), Is.False);
    }

    [Test]
    public async Task SiteHeadsExport_ExistingOutput_RefusesToOverwriteIt()
    {
        // Arrange
        using var site = new SiteDirectory();
        using var consortium = ConsortiumSimulation.Create(sites: 3);
        var planId = ConsortiumSimulation.Plan(rounds: 2).Id;
        new SiteStateStore(site.PathOf("site.state")).Save(new SitePlanState(planId, true, null, 1, 1, 1, null, false) { Heads = [Countersignature(consortium, planId, 9)] });
        site.Write("heads.jsonl", "keep");
        var error = new StringWriter();

        // Act
        var exit = await Run(["site", "heads", "export", "--config", site.Config, "--out", site.PathOf("heads.jsonl")], TextWriter.Null, error);

        // Assert
        Assert.That(exit, Is.Not.Zero);
        Assert.That(error.ToString(), Does.Contain("heads.jsonl").And.Contain("refusing to overwrite"));
        Assert.That(File.ReadAllText(site.PathOf("heads.jsonl")), Is.EqualTo("keep"));
    }

    private static Task<int> Run(string[] args, TextWriter output, TextWriter error) =>
        SiteCommands.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }).WaitAsync(Timeout);

    private static IReadOnlyList<byte[]> LogVerifierLines(string path) => HospitalFed.Ledger.Audit.LogVerifier.SplitLines(File.ReadAllBytes(path));

    private static string Countersignature(ConsortiumSimulation consortium, string planId, long size) =>
        Encoding.UTF8.GetString(LogLine.Encode(LogEntry.Sign(consortium.Sites[0], planId, LogEntries.Countersignature(size, new byte[32]), consortium.Time.GetUtcNow()), null));
}
