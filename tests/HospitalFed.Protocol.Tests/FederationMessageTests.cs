using Google.Protobuf;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Protocol.Tests;

[TestFixture]
public sealed class FederationMessageTests
{
    [Test]
    public void SiteTask_InvitationRoundTrip_PreservesEveryField()
    {
        // Arrange
        var invitation = new RoundInvitation
        {
            PlanId = "plan",
            Round = 3,
            Plan = ByteString.CopyFromUtf8("{}"),
            GlobalModelDigest = "ab",
            GlobalModel = ByteString.CopyFrom(1, 2, 3, 4),
            Threshold = 3,
            MaxSites = 4,
            ChunkWords = 1024,
            PhaseDeadlineUnixMs = 1_700_000_000_000,
        };
        invitation.Participants.Add(["site-a", "site-b"]);
        invitation.Quantization.Add(new QuantizationSegmentSpec { Name = "weighted-delta", Length = 10, Bound = 2.5, Clip = 1 });
        invitation.Approvals.Add(ByteString.CopyFromUtf8("line"));
        var task = new SiteTask { Invitation = invitation };

        // Act
        var parsed = SiteTask.Parser.ParseFrom(task.ToByteArray());

        // Assert
        Assert.That(parsed, Is.EqualTo(task));
        Assert.That(parsed.TaskCase, Is.EqualTo(SiteTask.TaskOneofCase.Invitation));
    }

    [Test]
    public void SiteMessage_UnmaskResponseRoundTrip_PreservesOneofCase()
    {
        // Arrange
        var message = new SiteMessage { UnmaskResponse = new SecAggUnmaskResponse { PlanId = "p", Round = 1, Sender = "site-a" } };

        // Act
        var parsed = SiteMessage.Parser.ParseFrom(message.ToByteArray());

        // Assert
        Assert.That(parsed.MessageCase, Is.EqualTo(SiteMessage.MessageOneofCase.UnmaskResponse));
        Assert.That(parsed, Is.EqualTo(message));
    }

    [Test]
    public void SiteTask_ResultWithTreeHeadRoundTrip_PreservesHeadAndProof()
    {
        // Arrange
        var result = new RoundResult { PlanId = "p", Round = 2, ModelDigest = "ab", PlanCompleted = true, TreeHead = ByteString.CopyFromUtf8("{\"kind\":\"tree-head\"}"), ConsistencyFromSize = 17 };
        result.ConsistencyProof.Add([ByteString.CopyFrom(new byte[32]), ByteString.CopyFrom(Enumerable.Repeat((byte)7, 32).ToArray())]);
        var task = new SiteTask { Result = result };

        // Act
        var parsed = SiteTask.Parser.ParseFrom(task.ToByteArray());

        // Assert
        Assert.That(parsed, Is.EqualTo(task));
        Assert.That(parsed.Result.TreeHead.ToStringUtf8(), Is.EqualTo("{\"kind\":\"tree-head\"}"));
        Assert.That(parsed.Result.ConsistencyProof, Has.Count.EqualTo(2));
        Assert.That(parsed.Result.ConsistencyFromSize, Is.EqualTo(17));
    }

    [Test]
    public void SiteMessage_CountersignatureRoundTrip_PreservesOneofCase()
    {
        // Arrange
        var message = new SiteMessage { Countersignature = ByteString.CopyFromUtf8("{\"kind\":\"countersignature\"}") };

        // Act
        var parsed = SiteMessage.Parser.ParseFrom(message.ToByteArray());

        // Assert
        Assert.That(parsed.MessageCase, Is.EqualTo(SiteMessage.MessageOneofCase.Countersignature));
        Assert.That(parsed, Is.EqualTo(message));
    }
}
