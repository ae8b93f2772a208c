using Google.Protobuf;
using HospitalFed.Crypto.SecAgg;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Crypto.Tests.SecAgg;

public sealed class MaliciousAggregatorTests
{
    private TestSites _sites = null!;

    [OneTimeSetUp]
    public void CreateSites() => _sites = new TestSites(5);

    [OneTimeTearDown]
    public void DisposeSites() => _sites.Dispose();

    [Test]
    public void Unmask_SurvivorAlsoListedAsDropped_IsRefusedAndSiteAborts()
    {
        using var harness = AtUnmasking(new() { [4] = DropPoint.AfterShareKeys });
        var request = harness.UnmaskRequests[0].Clone();
        request.Dropped.Add(request.Survivors[1]); // asks for s_j^SK of a survivor whose b_j it also gets

        var error = Assert.Throws<SecAggException>(() => harness.Site(request.Recipient).Unmask(request));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.BothSharesRequested));
        Assert.That(harness.Site(request.Recipient).Stage, Is.EqualTo(SiteStage.Aborted));
        Assert.That(() => harness.Site(request.Recipient).Unmask(harness.UnmaskRequests[0]), Throws.TypeOf<SecAggException>().With.Property(nameof(SecAggException.Failure)).EqualTo(SecAggFailure.WrongStage));
    }

    [Test]
    public void Unmask_DroppedNameOutsideU1_IsRefused()
    {
        using var harness = AtUnmasking([]);
        var request = harness.UnmaskRequests[0].Clone();
        request.Dropped.Add("site-99");

        var error = Assert.Throws<SecAggException>(() => harness.Site(request.Recipient).Unmask(request));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.Malformed));
        Assert.That(error.Message, Does.Contain("'site-99'"));
    }

    [Test]
    public void Unmask_SecondRequestAfterAnswering_IsRefused()
    {
        using var harness = AtUnmasking([]);
        var request = harness.UnmaskRequests[0];
        var site = harness.Site(request.Recipient);
        site.Unmask(request);

        var forged = request.Clone();
        forged.Survivors.Remove(forged.Survivors[^1]);
        var error = Assert.Throws<SecAggException>(() => site.Unmask(forged));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.WrongStage), "a site reveals shares once per round");
    }

    [Test]
    public void Unmask_SurvivorSetOtherThanTheSignedOne_IsRefused()
    {
        using var harness = AtUnmasking([]);
        var request = harness.UnmaskRequests[0].Clone();
        var victim = request.Survivors.First(n => n != request.Recipient);
        request.Survivors.Remove(victim); // claims the victim dropped, to learn its mask key
        request.Dropped.Add(victim);

        var error = Assert.Throws<SecAggException>(() => harness.Site(request.Recipient).Unmask(request));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.InconsistentSurvivors));
    }

    [Test]
    public void Unmask_DifferentSurvivorSetsShownToDifferentSites_SignaturesDoNotVerify()
    {
        // The aggregator shows site-00 a survivor set without site-04 and the others the full
        // set, then hands site-00 the others' signatures: they cover another set.
        using var harness = new SecAggHarness(_sites, 5, 3, 8);
        harness.AdvertiseKeys();
        harness.ShareKeys();
        harness.ReceiveShares();
        harness.MaskInputs();
        var full = harness.Survivors!;
        var partial = full.Clone();
        partial.Survivors.Remove("site-04");
        var victimCheck = harness.Sites[0].CheckConsistency(partial);
        var others = harness.Sites.Skip(1).Select(s => s.CheckConsistency(full)).ToArray();
        var request = new SecAggUnmaskRequest { PlanId = full.PlanId, Round = full.Round, Recipient = "site-00" };
        request.Survivors.AddRange(partial.Survivors);
        request.Dropped.Add("site-04");
        request.Signatures.Add(victimCheck);
        request.Signatures.AddRange(others.Take(3));

        var error = Assert.Throws<SecAggException>(() => harness.Sites[0].Unmask(request));

        Assert.That(error!.Failure, Is.AnyOf(SecAggFailure.InvalidSignature, SecAggFailure.InconsistentSurvivors));
    }

    [Test]
    public void Unmask_FewerThanThresholdSignatures_IsRefused()
    {
        using var harness = AtUnmasking([]);
        var request = harness.UnmaskRequests[0].Clone();
        while (request.Signatures.Count >= harness.Parameters.Threshold)
        {
            request.Signatures.RemoveAt(request.Signatures.Count - 1);
        }

        var error = Assert.Throws<SecAggException>(() => harness.Site(request.Recipient).Unmask(request));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.TooFewSignatures));
    }

    [Test]
    public void Unmask_RepeatedSignature_IsRefused()
    {
        using var harness = AtUnmasking([]);
        var request = harness.UnmaskRequests[0].Clone();
        request.Signatures.Add(request.Signatures[0].Clone());

        var error = Assert.Throws<SecAggException>(() => harness.Site(request.Recipient).Unmask(request));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.Duplicate));
    }

    [Test]
    public void Unmask_TamperedConsistencySignature_IsRefused()
    {
        using var harness = AtUnmasking([]);
        var request = harness.UnmaskRequests[0].Clone();
        var signature = request.Signatures[2].Signature.ToByteArray();
        signature[10] ^= 0x04;
        request.Signatures[2].Signature = ByteString.CopyFrom(signature);

        var error = Assert.Throws<SecAggException>(() => harness.Site(request.Recipient).Unmask(request));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.InvalidSignature));
    }

    [Test]
    public void CheckConsistency_FewerThanThresholdSurvivors_IsRefused()
    {
        using var harness = AtMaskedInput();
        var set = harness.Survivors!.Clone();
        set.Survivors.Clear();
        set.Survivors.AddRange(["site-00", "site-01"]);

        var error = Assert.Throws<SecAggException>(() => harness.Sites[0].CheckConsistency(set));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.TooFewSurvivors));
        Assert.That(harness.Sites[0].Stage, Is.EqualTo(SiteStage.Aborted));
    }

    [Test]
    public void CheckConsistency_SetWithoutThisSite_IsRefused()
    {
        using var harness = AtMaskedInput();
        var set = harness.Survivors!.Clone();
        set.Survivors.Remove("site-00");

        var error = Assert.Throws<SecAggException>(() => harness.Sites[0].CheckConsistency(set));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.InconsistentSurvivors));
    }

    [Test]
    public void CheckConsistency_SurvivorThatNeverSharedKeys_IsRefused()
    {
        using var harness = new SecAggHarness(_sites, 5, 3, 8, drops: new Dictionary<int, DropPoint> { [4] = DropPoint.BeforeShareKeys });
        harness.AdvertiseKeys();
        harness.ShareKeys();
        harness.ReceiveShares();
        harness.MaskInputs();
        var set = harness.Survivors!.Clone();
        set.Survivors.Add("site-04"); // forged: site-04 never sent shares, so it cannot be a survivor

        var error = Assert.Throws<SecAggException>(() => harness.Sites[0].CheckConsistency(set));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.InconsistentSurvivors));
    }

    [Test]
    public void ReceiveShares_DeliveryForAnotherSite_IsRefused()
    {
        using var harness = AtShareDelivery();
        var forOne = harness.Deliveries.Single(d => d.Recipient == "site-01");

        var error = Assert.Throws<SecAggException>(() => harness.Site("site-00").ReceiveShares(forOne));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.WrongParty));
        Assert.That(harness.Site("site-00").Stage, Is.EqualTo(SiteStage.SharesSent), "a misrouted message leaves the site as it was");
    }

    [Test]
    public void ReceiveShares_SwappedRecipientRelabelled_FailsAuthentication()
    {
        using var harness = AtShareDelivery();
        var delivery = harness.Deliveries.Single(d => d.Recipient == "site-00").Clone();
        var stolen = harness.Deliveries.Single(d => d.Recipient == "site-01").Shares.Single(s => s.Sender == "site-02").Clone();
        stolen.Recipient = "site-00"; // redirect site-02's shares for site-01 to site-00
        delivery.Shares[delivery.Shares.IndexOf(delivery.Shares.Single(s => s.Sender == "site-02"))] = stolen;

        var error = Assert.Throws<SecAggException>(() => harness.Site("site-00").ReceiveShares(delivery));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.InvalidShare));
        Assert.That(harness.Site("site-00").Stage, Is.EqualTo(SiteStage.Aborted));
    }

    [Test]
    public void ReceiveShares_SwappedRecipientNotRelabelled_IsRefused()
    {
        using var harness = AtShareDelivery();
        var delivery = harness.Deliveries.Single(d => d.Recipient == "site-00").Clone();
        var index = delivery.Shares.IndexOf(delivery.Shares.Single(s => s.Sender == "site-03"));
        delivery.Shares[index] = harness.Deliveries.Single(d => d.Recipient == "site-01").Shares.Single(s => s.Sender == "site-03").Clone();

        var error = Assert.Throws<SecAggException>(() => harness.Site("site-00").ReceiveShares(delivery));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.WrongParty));
        Assert.That(error.Message, Does.Contain("addressed to 'site-01'"));
    }

    [Test]
    public void ReceiveShares_SenderRelabelled_FailsAuthentication()
    {
        using var harness = AtShareDelivery();
        var delivery = harness.Deliveries.Single(d => d.Recipient == "site-00").Clone();
        var a = delivery.Shares.Single(s => s.Sender == "site-01");
        var b = delivery.Shares.Single(s => s.Sender == "site-02");
        (a.Sender, b.Sender) = (b.Sender, a.Sender);

        var error = Assert.Throws<SecAggException>(() => harness.Site("site-00").ReceiveShares(delivery));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.InvalidShare));
    }

    [TestCase(0, TestName = "ReceiveShares_FirstNonceBitFlipped_FailsAuthentication")]
    [TestCase(12 * 8 + 5, TestName = "ReceiveShares_CiphertextBitFlipped_FailsAuthentication")]
    [TestCase(-1, TestName = "ReceiveShares_LastTagBitFlipped_FailsAuthentication")]
    public void ReceiveShares_BitFlipInSealedShare_FailsAuthentication(int bit)
    {
        using var harness = AtShareDelivery();
        var delivery = harness.Deliveries.Single(d => d.Recipient == "site-00").Clone();
        var share = delivery.Shares[1];
        var bytes = share.Nonce.Concat(share.Ciphertext).ToArray();
        var position = bit >= 0 ? bit : (bytes.Length * 8) - 1;
        bytes[position / 8] ^= (byte)(1 << (position % 8));
        share.Nonce = ByteString.CopyFrom(bytes, 0, 12);
        share.Ciphertext = ByteString.CopyFrom(bytes, 12, bytes.Length - 12);

        var error = Assert.Throws<SecAggException>(() => harness.Site("site-00").ReceiveShares(delivery));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.InvalidShare));
    }

    [Test]
    public void ShareKeys_SubstitutedPeerKey_IsRefused()
    {
        using var harness = new SecAggHarness(_sites, 5, 3, 8);
        foreach (var site in harness.Sites)
        {
            harness.Aggregator.Receive(site.AdvertiseKeys());
        }

        var broadcast = harness.Aggregator.CloseKeyAdvertisement();
        var forged = broadcast.Clone();
        forged.Keys[2].MaskPublicKey = forged.Keys[3].MaskPublicKey; // man in the middle on site-02's mask key

        var error = Assert.Throws<SecAggException>(() => harness.Sites[0].ShareKeys(forged));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.InvalidSignature));
        Assert.That(harness.Sites[0].Stage, Is.EqualTo(SiteStage.Aborted));
    }

    [Test]
    public void ShareKeys_OwnAdvertisementAltered_IsRefused()
    {
        using var harness = new SecAggHarness(_sites, 5, 3, 8);
        foreach (var site in harness.Sites)
        {
            harness.Aggregator.Receive(site.AdvertiseKeys());
        }

        var forged = harness.Aggregator.CloseKeyAdvertisement().Clone();
        forged.Keys[0].SharePublicKey = forged.Keys[1].SharePublicKey;

        var error = Assert.Throws<SecAggException>(() => harness.Sites[0].ShareKeys(forged));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.Malformed));
    }

    [Test]
    public void Messages_FromAnOldRound_AreRefusedEverywhere()
    {
        using var old = new SecAggHarness(_sites, 5, 3, 8, round: 1);
        old.Run();
        using var current = new SecAggHarness(_sites, 5, 3, 8, round: 2);
        var oldAdvert = old.Transcript.OfType<SecAggAdvertiseKeys>().First();

        var toAggregator = Assert.Throws<SecAggException>(() => current.Aggregator.Receive(oldAdvert));
        var toSite = Assert.Throws<SecAggException>(() => { current.Sites[0].AdvertiseKeys(); current.Sites[0].ShareKeys(old.Advertised!); });

        Assert.That(toAggregator!.Failure, Is.EqualTo(SecAggFailure.WrongRound));
        Assert.That(toSite!.Failure, Is.EqualTo(SecAggFailure.WrongRound));
    }

    [Test]
    public void ShareKeys_OldRoundAdvertisementRelabelled_FailsSignature()
    {
        using var old = new SecAggHarness(_sites, 5, 3, 8, round: 1);
        old.AdvertiseKeys();
        using var current = new SecAggHarness(_sites, 5, 3, 8, round: 2);
        foreach (var site in current.Sites)
        {
            current.Aggregator.Receive(site.AdvertiseKeys());
        }

        var broadcast = current.Aggregator.CloseKeyAdvertisement().Clone();
        var replayed = old.Advertised!.Keys[3].Clone();
        replayed.Round = 2; // old keys whose shares the aggregator may have learnt, relabelled
        broadcast.Keys[3] = replayed;

        var error = Assert.Throws<SecAggException>(() => current.Sites[0].ShareKeys(broadcast));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.InvalidSignature));
    }

    [Test]
    public void Messages_ForAnotherPlan_AreRefused()
    {
        using var harness = new SecAggHarness(_sites, 5, 3, 8);
        var advert = harness.Sites[0].AdvertiseKeys();
        advert.PlanId = new string('0', 64);

        var error = Assert.Throws<SecAggException>(() => harness.Aggregator.Receive(advert));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.WrongPlan));
    }

    [Test]
    public void Steps_OutOfOrder_AreRefusedAsWrongStage()
    {
        using var harness = new SecAggHarness(_sites, 5, 3, 8);

        Assert.That(() => harness.Sites[0].MaskInput(harness.Inputs[0]), Throws.TypeOf<SecAggException>().With.Property(nameof(SecAggException.Failure)).EqualTo(SecAggFailure.WrongStage));
        Assert.That(() => harness.Aggregator.CloseShareKeys(), Throws.TypeOf<SecAggException>().With.Property(nameof(SecAggException.Failure)).EqualTo(SecAggFailure.WrongStage));
        harness.AdvertiseKeys();
        Assert.That(() => harness.Aggregator.Receive(harness.Transcript.OfType<SecAggAdvertiseKeys>().First()), Throws.TypeOf<SecAggException>().With.Property(nameof(SecAggException.Failure)).EqualTo(SecAggFailure.WrongStage));
        Assert.That(() => harness.Sites[0].AdvertiseKeys(), Throws.TypeOf<SecAggException>().With.Property(nameof(SecAggException.Failure)).EqualTo(SecAggFailure.WrongStage));
    }

    private SecAggHarness AtShareDelivery()
    {
        var harness = new SecAggHarness(_sites, 5, 3, 8);
        harness.AdvertiseKeys();
        harness.ShareKeys();
        return harness;
    }

    private SecAggHarness AtMaskedInput()
    {
        var harness = AtShareDelivery();
        harness.ReceiveShares();
        harness.MaskInputs();
        return harness;
    }

    private SecAggHarness AtUnmasking(Dictionary<int, DropPoint> drops)
    {
        var harness = new SecAggHarness(_sites, 5, 3, 8, drops: drops);
        harness.AdvertiseKeys();
        harness.ShareKeys();
        harness.ReceiveShares();
        harness.MaskInputs();
        harness.CheckConsistency();
        return harness;
    }
}
