using System.Text;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Simulation;
using HospitalFed.Site.State;

namespace HospitalFed.Site.Tests.State;

[TestFixture]
public sealed class SiteStateStoreTests
{
    private static readonly SitePlanState Sample = new(new string('a', 64), true, "{\"kind\":\"site-decision\"}", 3, 2, 2, new string('b', 64), false);

    private DirectoryInfo _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("hfed-site-state-");

    [TearDown]
    public void TearDown() => _directory.Delete(recursive: true);

    [Test]
    public void SaveLoad_RoundTrip_SameStateNoTemporaryLeft()
    {
        // Arrange
        var store = new SiteStateStore(Path.Combine(_directory.FullName, "state"));

        // Act
        store.Save(Sample);
        store.Save(Sample with { LastCompletedRound = 3, PlanCompleted = true });
        var loaded = store.Load();

        // Assert
        Assert.That(loaded, Is.EqualTo(Sample with { LastCompletedRound = 3, PlanCompleted = true }));
        Assert.That(Directory.GetFiles(store.Directory), Is.EqualTo(new[] { store.Path }));
    }

    [Test]
    public void Load_NoFile_ReturnsNull()
    {
        Assert.That(new SiteStateStore(_directory.FullName).Load(), Is.Null);
    }

    [Test]
    [Platform(Exclude = "Win")]
    public void Save_OnUnix_FileIs0600AndDirectory0700()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // excluded above; keeps the analyzer's platform check satisfied
        }

        // Arrange
        var store = new SiteStateStore(Path.Combine(_directory.FullName, "state"));

        // Act
        store.Save(Sample);

        // Assert
        Assert.That(File.GetUnixFileMode(store.Path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.GetUnixFileMode(store.Directory), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }

    [TestCase("{ not json", "not a site state document")]
    [TestCase("null", "empty")]
    [TestCase("{\"planId\":\"xyz\",\"accepted\":true,\"decision\":null,\"lastJoinedRound\":0,\"unmaskedRounds\":0,\"lastCompletedRound\":0,\"modelDigest\":null,\"planCompleted\":false}", "'planId'")]
    [TestCase("{\"planId\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"accepted\":true,\"decision\":null,\"lastJoinedRound\":1,\"unmaskedRounds\":2,\"lastCompletedRound\":0,\"modelDigest\":null,\"planCompleted\":false}", "rounds are inconsistent")]
    [TestCase("{\"planId\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"accepted\":true,\"decision\":null,\"lastJoinedRound\":1,\"unmaskedRounds\":1,\"lastCompletedRound\":0,\"modelDigest\":\"zz\",\"planCompleted\":false}", "'modelDigest'")]
    [TestCase("{\"planId\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"extra\":1}", "not a site state document")]
    public void Load_CorruptedFile_IsRefusedNamingTheFile(string content, string why)
    {
        // Arrange
        var store = new SiteStateStore(_directory.FullName);
        File.WriteAllText(store.Path, content);

        // Act
        var error = Assert.Throws<InvalidDataException>(() => store.Load());

        // Assert
        Assert.That(error!.Message, Does.Contain(store.Path).And.Contain("corrupted").And.Contain(why));
    }

    [Test]
    public void Load_TruncatedWrite_IsRefused()
    {
        // Arrange: a file cut in half (what a non-atomic write could leave after a crash).
        var store = new SiteStateStore(_directory.FullName);
        store.Save(Sample);
        var bytes = File.ReadAllBytes(store.Path);
        File.WriteAllBytes(store.Path, bytes[..(bytes.Length / 2)]);

        // Act + Assert
        Assert.Throws<InvalidDataException>(() => store.Load());
    }

    [Test]
    public void SaveLoad_CountersignedHeads_RoundTripInOrder()
    {
        // Arrange
        using var consortium = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        string[] heads = [Countersignature(consortium, plan.Id, 12), Countersignature(consortium, plan.Id, 30)];
        var state = new SitePlanState(plan.Id, true, null, 2, 2, 2, null, true) { Heads = heads };
        var store = new SiteStateStore(_directory.FullName);

        // Act
        store.Save(state);
        var loaded = store.Load()!;

        // Assert
        Assert.That(loaded.Heads, Is.EqualTo(heads));
        Assert.That(loaded.HeadRefusal, Is.Null);
        Assert.That(TreeHead.From(LogLine.Decode(Encoding.UTF8.GetBytes(loaded.Heads[^1]), out _)).Size, Is.EqualTo(30));
    }

    [Test]
    public void Load_StateWithoutHeads_HasNone()
    {
        // Arrange: a state file written before sites kept heads.
        var store = new SiteStateStore(_directory.FullName);
        File.WriteAllText(store.Path, "{\"planId\":\"" + new string('a', 64) + "\",\"accepted\":true,\"decision\":null,\"lastJoinedRound\":1,\"unmaskedRounds\":1,\"lastCompletedRound\":1,\"modelDigest\":null,\"planCompleted\":false}");

        // Act
        var loaded = store.Load()!;

        // Assert
        Assert.That(loaded.Heads, Is.Empty);
    }

    [Test]
    public void Load_HeadsOutOfOrder_IsRefusedNamingTheEntry()
    {
        // Arrange
        using var consortium = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        var store = new SiteStateStore(_directory.FullName);
        store.Save(new SitePlanState(plan.Id, true, null, 2, 2, 2, null, true));
        File.WriteAllText(Path.Combine(store.Directory, $"heads-{plan.Id}.jsonl"), Countersignature(consortium, plan.Id, 30) + "\n" + Countersignature(consortium, plan.Id, 12) + "\n");

        // Act
        var error = Assert.Throws<InvalidDataException>(() => store.Load());

        // Assert
        Assert.That(error!.Message, Does.Contain(store.Path).And.Contain("'heads' entry 1 covers 12 entries"));
    }

    [Test]
    public void Load_InlineHeadsOfAnOlderVersion_AreCheckedAndMovedToTheHeadsFile()
    {
        // Arrange: a state document of a version that kept the heads inline, out of order.
        using var consortium = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        var store = new SiteStateStore(_directory.FullName);
        string Document(params string[] heads) =>
            "{\"planId\":\"" + plan.Id + "\",\"accepted\":true,\"decision\":null,\"lastJoinedRound\":2,\"unmaskedRounds\":2,\"lastCompletedRound\":2,\"modelDigest\":null,\"planCompleted\":true,\"heads\":["
            + string.Join(",", heads.Select(h => System.Text.Json.JsonSerializer.Serialize(h))) + "]}";
        string[] inOrder = [Countersignature(consortium, plan.Id, 12), Countersignature(consortium, plan.Id, 30)];
        File.WriteAllText(store.Path, Document(inOrder[1], inOrder[0]));

        // Act + Assert: out of order is refused ...
        Assert.That(() => store.Load(), Throws.InstanceOf<InvalidDataException>().With.Message.Contain("'heads' entry 1 covers 12 entries"));

        // ... in order is adopted, and the next save moves them to the heads file.
        File.WriteAllText(store.Path, Document(inOrder));
        var loaded = store.Load()!;
        store.Save(loaded);
        var reloaded = new SiteStateStore(_directory.FullName).Load()!;
        Assert.That(loaded.Heads, Is.EqualTo(inOrder));
        Assert.That(reloaded.Heads, Is.EqualTo(inOrder));
        Assert.That(File.ReadAllText(store.Path), Does.Not.Contain("heads"));
    }

    [Test]
    public void Load_HeadsFileWithATornLastLine_DropsItAndTheNextSaveRewritesTheFile()
    {
        // Arrange: a crash in the middle of appending round 2's head (it was never sent).
        using var consortium = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        var store = new SiteStateStore(_directory.FullName);
        var first = Countersignature(consortium, plan.Id, 12);
        var second = Countersignature(consortium, plan.Id, 30);
        store.Save(new SitePlanState(plan.Id, true, null, 2, 2, 1, null, false) { Heads = [first] });
        var headsPath = Path.Combine(store.Directory, $"heads-{plan.Id}.jsonl");
        File.AppendAllText(headsPath, second[..(second.Length / 2)]);

        // Act
        var loaded = store.Load()!;
        store.Save(loaded with { Heads = [first, second] });

        // Assert
        Assert.That(loaded.Heads, Is.EqualTo(new[] { first }));
        Assert.That(File.ReadAllText(headsPath), Is.EqualTo(first + "\n" + second + "\n"));
        Assert.That(new SiteStateStore(_directory.FullName).Load()!.Heads, Is.EqualTo(new[] { first, second }));
    }

    private static string Countersignature(ConsortiumSimulation consortium, string planId, long size) =>
        Encoding.UTF8.GetString(LogLine.Encode(LogEntry.Sign(consortium.Sites[0], planId, LogEntries.Countersignature(size, new byte[32]), consortium.Time.GetUtcNow()), null));
}
