using System.Security.Cryptography.X509Certificates;

namespace HospitalFed.Crypto.Identity;

/// <summary>A consortium party whose certificate chain, validity, role and revocation status were checked.</summary>
/// <param name="Name">The party's consortium name: its certificate's subject common name.</param>
/// <param name="Role">The role its certificate grants.</param>
/// <param name="Certificate">The validated certificate (public key only).</param>
public sealed record PartyIdentity(string Name, ConsortiumRole Role, X509Certificate2 Certificate);
