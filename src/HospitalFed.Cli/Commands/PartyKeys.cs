using System.CommandLine;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Pki;

namespace HospitalFed.Cli.Commands;

/// <summary>Loads a party's signing identity from its certificate and key files.</summary>
internal static class PartyKeys
{
    public static readonly Option<string> Cert = new("--cert") { Description = "Your certificate (PEM)", Required = true };
    public static readonly Option<string> Key = new("--key") { Description = "Your private key (PEM, from 'hfed site init' or 'hfed pki request')", Required = true };
    public static readonly Option<string?> KeyPassphraseFile = new("--key-passphrase-file") { Description = "File holding the key's passphrase, if the key is encrypted" };

    public static SigningIdentity Load(ParseResult parse)
    {
        var certificate = PkiCommands.ReadCertificate(parse.GetValue(Cert)!);
        var keyPath = parse.GetValue(Key)!;
        var keyPem = CliFiles.ReadText(keyPath, "private key");
        var passphraseFile = parse.GetValue(KeyPassphraseFile);
        var key = passphraseFile is null
            ? KeyProtection.ImportPem(keyPem, keyPath)
            : KeyProtection.ImportEncryptedPem(keyPem, CliFiles.ReadText(passphraseFile, "passphrase file").TrimEnd('\r', '\n'), keyPath);
        try
        {
            return new SigningIdentity(certificate, key);
        }
        catch (ArgumentException ex)
        {
            key.Dispose();
            throw new CliException(ex.Message.Split(" (Parameter", 2)[0]);
        }
    }
}
