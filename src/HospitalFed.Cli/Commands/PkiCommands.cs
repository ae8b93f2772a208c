using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Canonical;
using HospitalFed.Ledger.Pki;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Cli.Commands;

/// <summary>
/// <c>hfed pki</c>: the consortium CA. Its directory holds root.cert.pem (the root), root.key.pem (the
/// private key, PKCS#8 encrypted under the CA passphrase, mode 0600) and consortium.crl.pem (the
/// current CRL): the names every config and guide uses (certs/README.md).
/// </summary>
internal static class PkiCommands
{
    /// <summary>The CA's private key in the CA directory (the root certificate and CRL are <see cref="ConsortiumDirectory.RootFile"/> and <see cref="ConsortiumDirectory.CrlFile"/>).</summary>
    internal const string RootKeyFile = "root.key.pem";

    private static readonly Option<string> CaDir = new("--ca") { Description = $"The CA directory ({ConsortiumDirectory.RootFile}, {RootKeyFile}, {ConsortiumDirectory.CrlFile})", Required = true };
    private static readonly Option<string?> PassphraseFile = new("--passphrase-file") { Description = "File holding the CA passphrase (default: $HFED_CA_PASSPHRASE)" };

    public static Command Create()
    {
        var pki = new Command("pki", "Consortium CA: create it, issue and revoke certificates, sign the consortium config.");
        pki.Subcommands.Add(Init());
        pki.Subcommands.Add(SiteCommands.Request("request", "Generate a key (mode 0600) and signing request for an admin, aggregator or auditor, on that party's machine."));
        pki.Subcommands.Add(Sign());
        pki.Subcommands.Add(Revoke());
        pki.Subcommands.Add(Rotate());
        pki.Subcommands.Add(Crl());
        pki.Subcommands.Add(Config());
        return pki;
    }

    private static Command Init()
    {
        var dir = new Option<string>("--dir") { Description = "Directory to create the CA in", Required = true };
        var name = new Option<string>("--name") { Description = "The consortium root's common name", Required = true };
        var years = new Option<int>("--years") { Description = "Validity of the root in years", DefaultValueFactory = _ => 10 };
        var command = new Command("init", "Create a consortium root CA (ECDSA P-256) with its key encrypted under a passphrase, and an empty CRL.") { dir, name, years, PassphraseFile };
        CliAction.Set(command, (parse, output, _) =>
        {
            var directory = parse.GetValue(dir)!;
            var passphrase = CliFiles.Passphrase(parse.GetValue(PassphraseFile));
            if (parse.GetValue(years) is < 1 or > 30)
            {
                throw new CliException("--years must be from 1 to 30");
            }

            using var ca = ConsortiumAuthority.Create(parse.GetValue(name)!, TimeSpan.FromDays(365.25 * parse.GetValue(years)));
            var keyPem = ca.ExportEncryptedKeyPem(passphrase);
            CliFiles.WritePrivate(Path.Combine(directory, RootKeyFile), keyPem);
            CliFiles.WritePublic(Path.Combine(directory, ConsortiumDirectory.RootFile), ca.Certificate.ExportCertificatePem());
            CliFiles.WritePublic(Path.Combine(directory, ConsortiumDirectory.CrlFile), ca.Publish(null));
            output.WriteLine($"created consortium root '{ca.Name}' in {directory} (valid to {ca.Certificate.NotAfter:yyyy-MM-dd}); keep {RootKeyFile} offline");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static Command Sign()
    {
        var csr = new Option<string>("--csr") { Description = "The party's signing request (from 'hfed site init')", Required = true };
        var role = new Option<string>("--role") { Description = "site, aggregator, admin or auditor", Required = true };
        var output = new Option<string?>("--out") { Description = "Where to write the certificate (PEM); default NAME.cert.pem beside the request, NAME being its common name" };
        var days = new Option<int>("--days") { Description = "Validity in days", DefaultValueFactory = _ => 365 };
        var dns = new Option<string[]>("--dns") { Description = "DNS name for the certificate (repeatable; servers reached over mTLS)", AllowMultipleArgumentsPerToken = false };
        var command = new Command("sign", "Issue a certificate for a signing request, with the consortium role in its extension.") { CaDir, csr, role, output, days, dns, PassphraseFile };
        CliAction.Set(command, (parse, stdout, _) =>
        {
            if (!ConsortiumRoleExtension.TryParse(parse.GetValue(role)!, out var parsedRole))
            {
                throw new CliException($"--role '{parse.GetValue(role)}' is not one of site, aggregator, admin, auditor");
            }

            using var ca = LoadCa(parse);
            var csrPath = parse.GetValue(csr)!;
            using var certificate = ca.Issue(CliFiles.ReadText(csrPath, "signing request"), parsedRole, Days(parse.GetValue(days)), parse.GetValue(dns) ?? []);
            var outPath = parse.GetValue(output) ?? PartyFiles.Certificate(Path.GetDirectoryName(Path.GetFullPath(csrPath))!, certificate.GetNameInfo(X509NameType.SimpleName, false));
            CliFiles.WritePublic(outPath, certificate.ExportCertificatePem());
            stdout.WriteLine($"issued {ConsortiumRoleExtension.ToName(parsedRole)} certificate for '{certificate.GetNameInfo(X509NameType.SimpleName, false)}', serial {certificate.SerialNumber}, valid to {certificate.NotAfter:yyyy-MM-dd}: {outPath}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static Command Revoke()
    {
        var cert = new Option<string>("--cert") { Description = "The certificate to revoke (PEM)", Required = true };
        var command = new Command("revoke", "Revoke a certificate from now on and publish the new CRL (consortium.crl.pem); a certificate already revoked stays revoked from its first time and the CRL is left as it is.") { CaDir, cert, PassphraseFile };
        CliAction.Set(command, (parse, output, _) =>
        {
            using var ca = LoadCa(parse);
            using var certificate = ReadCertificate(parse.GetValue(cert)!);
            var crlPath = Path.Combine(parse.GetValue(CaDir)!, ConsortiumDirectory.CrlFile);
            var current = CliFiles.ReadText(crlPath, "CRL");
            var parsed = CertificateRevocationList.ParseAndVerify(current, ca.Certificate);
            if (parsed.TryGetRevocation(certificate.SerialNumber, out var since))
            {
                // Idempotent: a second revocation must neither move the revocation time nor list the serial twice.
                output.WriteLine($"certificate {certificate.GetNameInfo(X509NameType.SimpleName, false)} (serial {certificate.SerialNumber}) is already revoked since {since:u}; CRL unchanged");
                if (parsed.DuplicatedSerials.Count > 0)
                {
                    output.WriteLine($"note: {crlPath} lists serial {string.Join(", ", parsed.DuplicatedSerials)} more than once (written by an older hfed); 'hfed pki crl --ca {parse.GetValue(CaDir)}' re-issues it with each serial once");
                }

                return Task.FromResult(ExitCodes.Ok);
            }

            var crl = ca.Revoke(current, certificate, X509RevocationReason.Unspecified);
            CliFiles.WritePublic(crlPath, crl, replace: true);
            output.WriteLine($"revoked '{certificate.Subject}' (serial {certificate.SerialNumber}); distribute {crlPath} to every party");
            Reissued(output, parsed);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static Command Rotate()
    {
        var cert = new Option<string>("--cert") { Description = "The party's current certificate", Required = true };
        var csr = new Option<string>("--csr") { Description = "The party's new signing request (new key, same name)", Required = true };
        var output = new Option<string?>("--out") { Description = "Where to write the new certificate; default NAME.cert.pem beside the new request" };
        var days = new Option<int>("--days") { Description = "Validity in days", DefaultValueFactory = _ => 365 };
        var command = new Command("rotate", "Re-issue one party's certificate for a new key and revoke the old one as superseded; nothing else changes.") { CaDir, cert, csr, output, days, PassphraseFile };
        CliAction.Set(command, (parse, stdout, _) =>
        {
            using var ca = LoadCa(parse);
            using var current = ReadCertificate(parse.GetValue(cert)!);
            var crlPath = Path.Combine(parse.GetValue(CaDir)!, ConsortiumDirectory.CrlFile);
            var currentCrl = CliFiles.ReadText(crlPath, "CRL");
            var parsed = CertificateRevocationList.ParseAndVerify(currentCrl, ca.Certificate);
            var (issued, crl) = ca.Rotate(current, CliFiles.ReadText(parse.GetValue(csr)!, "signing request"), currentCrl, Days(parse.GetValue(days)));
            using (issued)
            {
                var csrPath = parse.GetValue(csr)!;
                CliFiles.WritePublic(parse.GetValue(output) ?? PartyFiles.Certificate(Path.GetDirectoryName(Path.GetFullPath(csrPath))!, issued.GetNameInfo(X509NameType.SimpleName, false)), issued.ExportCertificatePem());
                CliFiles.WritePublic(crlPath, crl, replace: true);
                stdout.WriteLine(parsed.TryGetRevocation(current.SerialNumber, out var since)
                    ? $"rotated '{issued.Subject}': new serial {issued.SerialNumber}, old serial {current.SerialNumber} already revoked since {since:u}"
                    : $"rotated '{issued.Subject}': new serial {issued.SerialNumber}, old serial {current.SerialNumber} revoked as superseded");
                Reissued(stdout, parsed);
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static Command Crl()
    {
        var days = new Option<int>("--days") { Description = "Days until the next update", DefaultValueFactory = _ => 30 };
        var command = new Command("crl", "Re-sign the current CRL with a fresh next-update time (publish before the old one lapses); a serial listed twice is re-issued once.") { CaDir, days, PassphraseFile };
        CliAction.Set(command, (parse, output, _) =>
        {
            using var ca = LoadCa(parse);
            var crlPath = Path.Combine(parse.GetValue(CaDir)!, ConsortiumDirectory.CrlFile);
            var current = CliFiles.ReadText(crlPath, "CRL");
            var crl = ca.Publish(current, null, Days(parse.GetValue(days)));
            CliFiles.WritePublic(crlPath, crl, replace: true);
            Reissued(output, CertificateRevocationList.ParseAndVerify(current, ca.Certificate));
            var parsed = CertificateRevocationList.ParseAndVerify(crl, ca.Certificate);
            output.WriteLine($"CRL number {parsed.Number}: {parsed.Entries.Count} revoked, next update {parsed.NextUpdate:yyyy-MM-dd}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static Command Config()
    {
        var name = new Option<string>("--name") { Description = "The consortium's name", Required = true };
        var admins = new Option<string[]>("--admin") { Description = "An admin's name (repeat for each of the n admins)", Required = true };
        var threshold = new Option<int>("--threshold") { Description = "m: approvals required from distinct admins", Required = true };
        var aggregator = new Option<string>("--aggregator") { Description = "The aggregator's name", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the signed config (JSON)", Required = true };
        var command = new Command("config", "Sign the consortium config (admin set, m-of-n threshold, aggregator) with the CA key.") { CaDir, name, admins, threshold, aggregator, output, PassphraseFile };
        CliAction.Set(command, (parse, stdout, _) =>
        {
            using var ca = LoadCa(parse);
            using var signer = ca.SigningIdentity();
            var config = ConsortiumConfig.Create(parse.GetValue(name)!, parse.GetValue(admins)!, parse.GetValue(threshold), parse.GetValue(aggregator)!, signer);
            CliFiles.WritePublic(parse.GetValue(output)!, CanonicalJson.Encode(config.ToSignedJson()));
            stdout.WriteLine($"signed config of '{config.Name}': {config.ApprovalThreshold} of {config.Admins.Count} admins ({string.Join(", ", config.Admins)}), aggregator '{config.Aggregator}'");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    internal static X509Certificate2 ReadCertificate(string path)
    {
        var pem = CliFiles.ReadText(path, "certificate");
        try
        {
            return X509CertificateLoader.LoadCertificate(Convert.FromBase64String(pem[PemEncodingRange(pem, path)]));
        }
        catch (FormatException)
        {
            throw new CliException($"'{path}' is not a PEM certificate");
        }
    }

    private static Range PemEncodingRange(string pem, string path) =>
        System.Security.Cryptography.PemEncoding.TryFind(pem, out var fields) && pem[fields.Label] == "CERTIFICATE"
            ? fields.Base64Data
            : throw new CliException($"'{path}' holds no '-----BEGIN CERTIFICATE-----' block");

    private static ConsortiumAuthority LoadCa(ParseResult parse)
    {
        var directory = parse.GetValue(CaDir)!;
        var passphrase = CliFiles.Passphrase(parse.GetValue(PassphraseFile));
        return ConsortiumAuthority.Load(
            CliFiles.ReadText(Path.Combine(directory, ConsortiumDirectory.RootFile), "CA certificate"),
            CliFiles.ReadText(Path.Combine(directory, RootKeyFile), "CA key"),
            passphrase);
    }

    /// <summary>Says so when the CRL just re-signed had listed a serial twice (an older hfed's second revocation).</summary>
    private static void Reissued(TextWriter output, CertificateRevocationList before)
    {
        foreach (var serial in before.DuplicatedSerials)
        {
            output.WriteLine($"re-issued with each serial once: serial {serial} was listed more than once; it stays revoked from its earliest listed time");
        }
    }

    private static TimeSpan Days(int days) =>
        days is >= 1 and <= 3650 ? TimeSpan.FromDays(days) : throw new CliException("--days must be from 1 to 3650");
}
