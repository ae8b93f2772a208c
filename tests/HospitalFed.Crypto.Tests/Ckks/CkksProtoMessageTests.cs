using Google.Protobuf;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Crypto.Tests.Ckks;

public sealed class CkksProtoMessageTests
{
    [Test]
    public void Messages_RoundTrip_Identical()
    {
        // Arrange
        var ciphertext = ByteString.CopyFrom(CkksSerializer.Serialize(new CkksCiphertext(CkksTestData.Small)));
        IMessage[] messages =
        [
            new CkksParametersRef { Preset = "aggregation", Fingerprint = ByteString.CopyFrom(CkksPresets.Aggregation.Fingerprint.Span) },
            new CkksCiphertextChunk { PlanId = "p", Round = 3, Sender = "site-a", ChunkIndex = 1, ChunkCount = 2, Ciphertext = ciphertext },
            new CkksContribution { Contributor = "site-a", CiphertextDigest = ByteString.CopyFrom(new byte[32]), Signature = ByteString.CopyFrom(new byte[64]) },
            new CkksPublicKeyShare { PlanId = "p", Sender = "site-a", CrpSeed = ByteString.CopyFrom(new byte[32]), Share = ciphertext, Signature = ByteString.CopyFrom(new byte[64]) },
            new CkksThresholdKeyShare { PlanId = "p", Sender = "site-a", Recipient = "site-b", RecipientPoint = 2, Threshold = 2, SealedShare = ciphertext },
            new CkksDecryptionRequest { PlanId = "p", Round = 3, AggregateDigest = ByteString.CopyFrom(new byte[32]), ChunkCount = 2, Contributions = { new CkksContribution { Contributor = "site-b" } }, ActivePoints = { 1, 2 } },
            new CkksDecryptionShare { PlanId = "p", Round = 3, Sender = "site-a", AggregateDigest = ByteString.CopyFrom(new byte[32]), ChunkIndex = 1, Share = ciphertext, Signature = ByteString.CopyFrom(new byte[64]) },
        ];

        foreach (var message in messages)
        {
            // Act
            var parsed = message.Descriptor.Parser.ParseFrom(message.ToByteArray());

            // Assert
            Assert.That(parsed, Is.EqualTo(message), message.Descriptor.Name);
        }
    }
}
