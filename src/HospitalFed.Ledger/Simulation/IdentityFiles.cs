namespace HospitalFed.Ledger.Simulation;

/// <summary>The files of a party enrolled into a <see cref="ConsortiumDirectory"/>, relative to it.</summary>
/// <param name="Certificate">The CA-issued certificate (PEM), <c>NAME.cert.pem</c>.</param>
/// <param name="Key">The party's private key (PKCS#8 PEM, mode 0600 on Unix), <c>NAME.key.pem</c>.</param>
public sealed record IdentityFiles(string Certificate, string Key);
