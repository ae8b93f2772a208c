using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HospitalFed.Ledger.Pki;

/// <summary>
/// A parsed consortium CRL (RFC 5280 section 5.1) whose signature was verified against the
/// consortium root. Only ECDSA with SHA-256 is accepted: it is the only algorithm the
/// consortium CA signs with, and accepting others would only widen the attack surface.
/// </summary>
public sealed class CertificateRevocationList
{
    private const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
    private const string CrlNumberOid = "2.5.29.20";
    private const string ReasonCodeOid = "2.5.29.21";

    private readonly Dictionary<string, RevokedEntry> _revoked;

    private CertificateRevocationList(DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate, BigInteger number, Dictionary<string, RevokedEntry> revoked, IReadOnlyList<string> duplicated)
    {
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
        Number = number;
        _revoked = revoked;
        DuplicatedSerials = duplicated;
    }

    /// <summary>When the CA issued this CRL.</summary>
    public DateTimeOffset ThisUpdate { get; }

    /// <summary>When the CA promises the next CRL, if stated.</summary>
    public DateTimeOffset? NextUpdate { get; }

    /// <summary>The CRL number extension (RFC 5280 section 5.2.3); 0 if absent.</summary>
    public BigInteger Number { get; }

    /// <summary>
    /// Serials the CRL lists more than once (an hfed before issue 12 wrote such CRLs on a second
    /// revocation). Each counts as revoked from its earliest listed time, with that entry's reason:
    /// the conservative reading, which never un-revokes anything and never bricks the consortium.
    /// <see cref="ConsortiumAuthority.Publish"/> re-issues such a CRL with each serial once.
    /// </summary>
    public IReadOnlyList<string> DuplicatedSerials { get; }

    /// <summary>The revoked certificates.</summary>
    public IReadOnlyList<RevokedEntry> Entries => [.. _revoked.Values.OrderBy(r => r.RevokedAt)];

    /// <summary>
    /// Refuses a CRL that has lapsed (past its next update) or is not yet valid at <paramref name="now"/>.
    /// Parties making live trust decisions call this; an auditor judging the past uses the newest
    /// CRL it can get, lapsed or not, since revocation times are what matter there.
    /// </summary>
    /// <exception cref="PkiException">The CRL is not current.</exception>
    public void EnsureCurrent(DateTimeOffset now)
    {
        if (now < ThisUpdate.AddMinutes(-5))
        {
            throw new PkiException($"CRL: issued {ThisUpdate:u}, in the future (clock skew?)");
        }

        if (NextUpdate is { } next && now > next)
        {
            throw new PkiException($"CRL: lapsed at {next:u}; fetch the current one (the CA re-signs it with 'hfed pki crl')");
        }
    }

    /// <summary>Returns the revocation time of <paramref name="serialNumber"/> (upper-case hex), if listed.</summary>
    public bool TryGetRevocation(string serialNumber, out DateTimeOffset revokedAt)
    {
        var listed = _revoked.TryGetValue(serialNumber.ToUpperInvariant(), out var entry);
        revokedAt = entry?.RevokedAt ?? default;
        return listed;
    }

    /// <summary>Parses a PEM CRL and verifies its signature with <paramref name="issuer"/>'s key.</summary>
    /// <exception cref="PkiException">Malformed, wrong issuer, unsupported algorithm or bad signature.</exception>
    public static CertificateRevocationList ParseAndVerify(string pem, X509Certificate2 issuer) =>
        ParseAndVerify(PemFiles.PemDer(pem, "X509 CRL", "CRL"), issuer);

    /// <summary>Parses a DER CRL and verifies its signature with <paramref name="issuer"/>'s key.</summary>
    /// <exception cref="PkiException">Malformed, wrong issuer, unsupported algorithm or bad signature.</exception>
    public static CertificateRevocationList ParseAndVerify(ReadOnlyMemory<byte> der, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        try
        {
            return Parse(der, issuer);
        }
        catch (AsnContentException ex)
        {
            throw new PkiException("CRL: malformed DER", ex);
        }
        catch (CryptographicException ex)
        {
            throw new PkiException("CRL: malformed DER", ex);
        }
    }

    private static CertificateRevocationList Parse(ReadOnlyMemory<byte> der, X509Certificate2 issuer)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var certList = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var tbsBytes = certList.ReadEncodedValue();
        var outerAlgorithm = ReadAlgorithm(certList);
        var signature = certList.ReadBitString(out var unused);
        certList.ThrowIfNotEmpty();
        if (unused != 0 || outerAlgorithm != EcdsaWithSha256)
        {
            throw new PkiException($"CRL: unsupported signature algorithm {outerAlgorithm} (consortium CRLs use ecdsa-with-SHA256)");
        }

        using (var key = issuer.GetECDsaPublicKey() ?? throw new PkiException("CRL: the issuer certificate holds no ECDSA key"))
        {
            // The signature covers the DER of tbsCertList exactly (RFC 5280 section 5.1.1.3).
            if (!key.VerifyData(tbsBytes.Span, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
            {
                throw new PkiException($"CRL: signature does not verify against '{issuer.Subject}'");
            }
        }

        var tbs = new AsnReader(tbsBytes, AsnEncodingRules.DER).ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            if (!tbs.TryReadInt32(out var version) || version != 1)
            {
                throw new PkiException("CRL: only version 2 CRLs are accepted");
            }
        }

        if (ReadAlgorithm(tbs) != outerAlgorithm)
        {
            throw new PkiException("CRL: inner and outer signature algorithms differ");
        }

        var issuerName = tbs.ReadEncodedValue();
        if (!issuerName.Span.SequenceEqual(issuer.SubjectName.RawData))
        {
            throw new PkiException($"CRL: issued by someone other than '{issuer.Subject}'");
        }

        var thisUpdate = ReadTime(tbs);
        DateTimeOffset? nextUpdate = null;
        if (tbs.HasData && IsTime(tbs.PeekTag()))
        {
            nextUpdate = ReadTime(tbs);
        }

        var revoked = new Dictionary<string, RevokedEntry>(StringComparer.Ordinal);
        var duplicated = new List<string>();
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var list = tbs.ReadSequence();
            while (list.HasData)
            {
                var entry = list.ReadSequence();
                var serial = Convert.ToHexString(entry.ReadIntegerBytes().Span);
                var read = new RevokedEntry(serial, ReadTime(entry)) { Reason = entry.HasData ? ReadReason(entry.ReadSequence()) : null };
                entry.ThrowIfNotEmpty();
                if (revoked.TryGetValue(serial, out var earlier))
                {
                    // Listed twice (an older hfed revoked it again): keep the earliest time, never the later one.
                    if (!duplicated.Contains(serial, StringComparer.Ordinal))
                    {
                        duplicated.Add(serial);
                    }

                    if (read.RevokedAt >= earlier.RevokedAt)
                    {
                        continue;
                    }
                }

                revoked[serial] = read;
            }
        }

        BigInteger number = 0;
        if (tbs.HasData)
        {
            foreach (var (oid, value) in Extensions(tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence()))
            {
                if (oid == CrlNumberOid)
                {
                    number = new AsnReader(value, AsnEncodingRules.DER).ReadInteger();
                }
            }
        }

        tbs.ThrowIfNotEmpty();
        return new CertificateRevocationList(thisUpdate, nextUpdate, number, revoked, duplicated);
    }

    /// <summary>Reads the reason code from crlEntryExtensions (RFC 5280 section 5.3.1); other extensions are informative only.</summary>
    private static X509RevocationReason? ReadReason(AsnReader extensions)
    {
        X509RevocationReason? reason = null;
        foreach (var (oid, value) in Extensions(extensions))
        {
            if (oid == ReasonCodeOid)
            {
                reason = new AsnReader(value, AsnEncodingRules.DER).ReadEnumeratedValue<X509RevocationReason>();
            }
        }

        return reason;
    }

    /// <summary>The (extnID, extnValue) pairs of an Extensions sequence (RFC 5280 section 4.1), skipping the critical flag.</summary>
    private static List<(string Oid, byte[] Value)> Extensions(AsnReader extensions)
    {
        var read = new List<(string, byte[])>();
        while (extensions.HasData)
        {
            var extension = extensions.ReadSequence();
            var oid = extension.ReadObjectIdentifier();
            if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
            {
                _ = extension.ReadBoolean();
            }

            read.Add((oid, extension.ReadOctetString()));
        }

        return read;
    }

    private static string ReadAlgorithm(AsnReader reader)
    {
        var algorithm = reader.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        // ECDSA algorithm identifiers carry no parameters (RFC 5758 section 3.2).
        algorithm.ThrowIfNotEmpty();
        return oid;
    }

    private static bool IsTime(Asn1Tag tag) =>
        tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime)
            ? reader.ReadUtcTime()
            : reader.ReadGeneralizedTime();
}
