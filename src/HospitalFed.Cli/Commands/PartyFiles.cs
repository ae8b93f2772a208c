namespace HospitalFed.Cli.Commands;

/// <summary>
/// The one naming scheme for a party's files (certs/README.md): everything a party holds is named
/// after its consortium name, so the files of several parties can share a directory (as in
/// <c>hfed demo</c>) and a config names them without renaming.
/// </summary>
internal static class PartyFiles
{
    /// <summary><c>DIR/NAME.key.pem</c>: the private key (mode 0600).</summary>
    public static string Key(string directory, string name) => Path.Combine(directory, Checked(name) + ".key.pem");

    /// <summary><c>DIR/NAME.csr.pem</c>: the signing request sent to the CA.</summary>
    public static string Request(string directory, string name) => Path.Combine(directory, Checked(name) + ".csr.pem");

    /// <summary><c>DIR/NAME.cert.pem</c>: the certificate the CA issued.</summary>
    public static string Certificate(string directory, string name) => Path.Combine(directory, Checked(name) + ".cert.pem");

    /// <summary>A name that is also a file name: no directory separators, no leading dot.</summary>
    private static string Checked(string name) =>
        name.Length == 0 || name.StartsWith('.') || name.IndexOfAny(['/', '\\', ':', '\0']) >= 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0
            ? throw new CliException($"--name '{name}' cannot name a file: use letters, digits, '-' and '_' (it names the party's .key.pem, .csr.pem and .cert.pem files)", ExitCodes.Usage)
            : name;
}
