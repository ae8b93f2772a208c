namespace HospitalFed.Crypto.Ckks;

/// <summary>What a serialised CKKS object is: byte 5 of every header.</summary>
public enum CkksObjectKind : byte
{
    /// <summary>A ciphertext with every component.</summary>
    Ciphertext = 1,

    /// <summary>A secret-key ciphertext whose c1 travels as its 32-byte seed.</summary>
    SeededCiphertext = 2,

    /// <summary>A public key: the seed of a and the polynomials b_j.</summary>
    PublicKey = 3,

    /// <summary>One party's share of a collective public key.</summary>
    PublicKeyShare = 4,

    /// <summary>One party's (or an aggregated) collective-decryption share.</summary>
    DecryptionShare = 5,

    /// <summary>A Shamir share of a party's secret key for another party (secret: send it sealed).</summary>
    ThresholdKeyShare = 6,

    /// <summary>
    /// A public-key ciphertext with each c0 coefficient compressed to <see cref="CkksParameters.CompressionBits"/>
    /// bits (coefficient form) and c1 in full.
    /// </summary>
    CompressedCiphertext = 7,

    /// <summary>A decryption share with each coefficient compressed to <see cref="CkksParameters.ShareCompressionBits"/> bits.</summary>
    CompressedDecryptionShare = 8,

    /// <summary>
    /// A ciphertext's c1 alone (NTT form, full residues): all a party needs to make its decryption
    /// share, since a share is s_i c1 + e_i; c0 stays with whoever decodes.
    /// </summary>
    CiphertextMask = 9,
}
