using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Log.Merkle;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Ledger.Tests.Log;

public sealed class RoundLogTests
{
    [Test]
    public void LogLine_EncodeDecode_RoundTripsEveryEntry()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        using var store = new MemoryLogStore();
        var log = sim.BuildLog(store, plan);

        var index = 0L;
        foreach (var line in store.ReadAll())
        {
            var entry = LogLine.Decode(line, out var decodedIndex);
            Assert.That(decodedIndex, Is.EqualTo(index));
            Assert.That(LogLine.Encode(entry, index), Is.EqualTo(line));
            index++;
        }

        Assert.That(index, Is.EqualTo(log.Size));
    }

    [Test]
    public void LogLine_StandaloneApproval_RoundTripsWithoutIndex()
    {
        using var sim = ConsortiumSimulation.Create(sites: 1);
        var plan = ConsortiumSimulation.Plan();
        var approval = LogEntry.Sign(sim.Admins[0], plan.Id, LogEntries.Approval(), sim.Time.GetUtcNow());

        var decoded = LogLine.Decode(LogLine.Encode(approval, null), out var index);

        Assert.That(index, Is.Null);
        Assert.That(decoded.Signature, Is.EqualTo(approval.Signature));
        Assert.That(decoded.Author, Is.EqualTo("admin-1"));
    }

    [Test]
    public void Append_EntryWithFlippedSignature_IsRefused()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan();
        using var store = new MemoryLogStore();
        var log = sim.StartLog(store, plan);
        var upload = LogEntry.Sign(sim.Sites[0], plan.Id, LogEntries.Upload(1, new string('a', 64), 10), sim.Time.GetUtcNow());
        var line = LogLine.Encode(upload, null);
        var text = System.Text.Encoding.UTF8.GetString(line);
        var sig = Convert.FromBase64String(System.Text.Json.Nodes.JsonNode.Parse(text)!["sig"]!.GetValue<string>());
        sig[3] ^= 0x01;
        var forged = LogLine.Decode(System.Text.Encoding.UTF8.GetBytes(text.Replace(Convert.ToBase64String(upload.Signature), Convert.ToBase64String(sig), StringComparison.Ordinal)), out _);

        Assert.Throws<IdentityException>(() => log.Append(forged));
        Assert.That(log.Size, Is.EqualTo(store.Count));
    }

    [Test]
    public void Append_SiteWritingAggregatorEntry_IsRefused()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan();
        using var store = new MemoryLogStore();
        var log = sim.StartLog(store, plan);

        var ex = Assert.Throws<IdentityException>(() => log.AppendSigned(sim.Sites[0], LogEntries.Model(1, new string('a', 64), new string('b', 64))));

        Assert.That(ex!.Message, Does.Contain("may not write model entries"));
    }

    [Test]
    public void InclusionProof_EveryEntry_VerifiesAgainstSignedHead()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        using var store = new MemoryLogStore();
        var log = sim.BuildLog(store, plan);
        var root = log.Root();
        var lines = store.ReadAll().ToList();

        for (var i = 0; i < lines.Count; i++)
        {
            var proof = log.InclusionProof(i, log.Size);
            Assert.That(MerkleProof.VerifyInclusion(i, log.Size, MerkleHash.Leaf(lines[i]), proof, root), Is.True, $"entry {i}");
        }
    }

    [Test]
    public void Witness_HeadOfRewrittenHistory_RefusesToCountersign()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        using var honestStore = new MemoryLogStore();
        var honest = sim.StartLog(honestStore, plan);
        var witness = new TreeHeadWitness(sim.Root, sim.Revocation);
        var firstHead = honest.SignTreeHead(sim.Aggregator);
        honest.Append(witness.Countersign(sim.Sites[0], firstHead, [], sim.Time.GetUtcNow()));

        // The aggregator rebuilds history with another entry in place of the last one, then signs a head of the same size.
        using var forkStore = new MemoryLogStore();
        var fork = new RoundLog(forkStore, sim.Root, sim.Revocation, sim.Time);
        foreach (var line in honestStore.ReadAll().Take((int)TreeHead.From(firstHead).Size - 1))
        {
            fork.Append(LogLine.Decode(line, out _));
        }

        fork.Append(LogEntry.Sign(sim.Admins[2], plan.Id, LogEntries.Approval(), sim.Time.GetUtcNow()));
        var forkHead = fork.SignTreeHead(sim.Aggregator);
        var proof = fork.ConsistencyProof(TreeHead.From(firstHead).Size, TreeHead.From(forkHead).Size);

        var ex = Assert.Throws<InvalidOperationException>(() => witness.Countersign(sim.Sites[0], forkHead, proof, sim.Time.GetUtcNow()));

        Assert.That(ex!.Message, Does.Contain("forked or rewritten"));
    }

    [Test]
    public async Task SqliteStore_ReopenedLog_HasSameRootAndExportsSameLines()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        var path = Path.Combine(Path.GetTempPath(), $"hfed-ledger-{Guid.NewGuid():N}.db");
        try
        {
            byte[] root;
            using (var store = SqliteLogStore.Open(path, plan.Id))
            {
                root = sim.BuildLog(store, plan).Root();
            }

            using var reopened = SqliteLogStore.Open(path, plan.Id);
            var log = new RoundLog(reopened, sim.Root, sim.Revocation);
            using var exported = new MemoryStream();
            await log.ExportAsync(exported, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

            Assert.That(log.Root(), Is.EqualTo(root));
            Assert.That(SqliteLogStore.Plans(path), Is.EqualTo(new[] { plan.Id }));
            Assert.That(exported.ToArray().Count(b => b == (byte)'\n'), Is.EqualTo(log.Size));
        }
        finally
        {
            DeleteDatabase(path);
        }
    }

    [Test]
    public async Task ImportAsync_ExportedLog_ReproducesEveryLineAndRoot()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        using var store = new MemoryLogStore();
        var original = sim.BuildLog(store, plan);
        using var exported = new MemoryStream();
        await original.ExportAsync(exported, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        exported.Position = 0;
        using var target = new MemoryLogStore();

        var imported = await RoundLog.ImportAsync(exported, target, sim.Root, sim.Revocation, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(imported.Root(), Is.EqualTo(original.Root()));
        Assert.That(target.ReadAll(), Is.EqualTo(store.ReadAll()));
        Assert.That(imported.Entry(5).Kind, Is.EqualTo(original.Entry(5).Kind));
    }

    [Test]
    public async Task ImportAsync_FlippedByte_IsRefused()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        using var store = new MemoryLogStore();
        var original = sim.BuildLog(store, plan);
        using var exported = new MemoryStream();
        await original.ExportAsync(exported, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        var bytes = exported.ToArray();
        bytes[bytes.Length / 2] ^= 0x20;
        using var target = new MemoryLogStore();

        Assert.That(
            async () => await RoundLog.ImportAsync(new MemoryStream(bytes), target, sim.Root, sim.Revocation, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)),
            Throws.InstanceOf<FormatException>().Or.InstanceOf<HospitalFed.Crypto.Identity.IdentityException>().Or.InstanceOf<InvalidOperationException>());
    }

    [Test]
    public void SqliteStore_TwoWritersAtOneIndex_SecondIsRefused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hfed-ledger-{Guid.NewGuid():N}.db");
        try
        {
            using var first = SqliteLogStore.Open(path, "plan");
            using var second = SqliteLogStore.Open(path, "plan");
            first.Append(0, [1, 2, 3]);

            Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => second.Append(0, [4, 5, 6]));
            Assert.That(first.ReadAll().Single(), Is.EqualTo(new byte[] { 1, 2, 3 }));
        }
        finally
        {
            DeleteDatabase(path);
        }
    }

    private static void DeleteDatabase(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
