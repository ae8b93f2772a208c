using System.Security.Cryptography.X509Certificates;

namespace HospitalFed.Crypto.SecAgg.Internal;

/// <summary>A peer's verified advertisement: its validated certificate and two ephemeral public keys.</summary>
internal sealed record PeerKeys(int Index, string Name, X509Certificate2 Certificate, byte[] SharePublicKey, byte[] MaskPublicKey);
