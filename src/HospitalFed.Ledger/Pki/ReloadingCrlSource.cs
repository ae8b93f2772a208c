using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;

namespace HospitalFed.Ledger.Pki;

/// <summary>
/// An <see cref="IRevocationSource"/> that follows a CRL file as the CA re-issues it: every
/// <see cref="Refresh"/> compares the file's size and modification time with the last look (one
/// stat, cheap enough for every connection and round) and, if they moved, its SHA-256; a changed
/// CRL is verified against the root before it replaces the one in force. A file that is
/// unreadable, badly signed, older (lower CRL number) or that drops a revocation is refused and
/// the last good CRL stays in force: revocations are never silently lost.
/// </summary>
/// <remarks>
/// The CRL in force is an immutable snapshot behind a volatile reference: readers
/// (<see cref="IsRevoked"/>, from any thread) never lock; <see cref="Refresh"/> calls serialise.
/// A file watcher alone would not do: notifications are lost on network file systems and when a
/// file is replaced by rename, so the check is made where a trust decision is about to be taken.
/// </remarks>
public sealed class ReloadingCrlSource : IRevocationSource
{
    private readonly string _path;
    private readonly X509Certificate2 _root;
    private readonly Lock _gate = new();
    private volatile CrlRevocationSource _current;
    private (long Length, DateTime Written) _stamp;
    private byte[] _hash;

    /// <summary>Loads and verifies the CRL at <paramref name="path"/>.</summary>
    /// <exception cref="PkiException">The file is unreadable or not a CRL signed by <paramref name="root"/>; the message names the file.</exception>
    public ReloadingCrlSource(string path, X509Certificate2 root)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(root);
        _path = path;
        _root = root;
        _stamp = Stamp();
        var bytes = Read();
        _hash = SHA256.HashData(bytes);
        _current = Parse(bytes);
    }

    /// <summary>The CRL file followed.</summary>
    public string Path => _path;

    /// <summary>The CRL in force.</summary>
    public CertificateRevocationList Crl => _current.Crl;

    /// <inheritdoc />
    public bool IsRevoked(X509Certificate2 certificate, DateTimeOffset at) => _current.IsRevoked(certificate, at);

    /// <summary>Takes a changed CRL file into force, or says why not; returns <see cref="CrlReload.Unchanged"/> if the file did not change.</summary>
    public CrlReload Refresh()
    {
        lock (_gate)
        {
            (long, DateTime) stamp;
            byte[] bytes;
            try
            {
                stamp = Stamp();
                if (stamp == _stamp)
                {
                    return CrlReload.Unchanged;
                }

                bytes = Read();
            }
            catch (PkiException ex)
            {
                return new CrlReload(false, [], ex.Message);
            }

            var hash = SHA256.HashData(bytes);
            if (CryptographicOperations.FixedTimeEquals(hash, _hash))
            {
                _stamp = stamp; // touched, not changed
                return CrlReload.Unchanged;
            }

            CrlRevocationSource next;
            try
            {
                next = Parse(bytes);
            }
            catch (PkiException ex)
            {
                return new CrlReload(false, [], ex.Message);
            }

            var old = _current.Crl;
            if (next.Crl.Number < old.Number)
            {
                return new CrlReload(false, [], $"CRL file {_path}: CRL number {next.Crl.Number} is older than the one in force ({old.Number})");
            }

            if (old.Entries.FirstOrDefault(e => !next.Crl.TryGetRevocation(e.SerialNumber, out _)) is { } dropped)
            {
                return new CrlReload(false, [], $"CRL file {_path}: drops the revocation of serial {dropped.SerialNumber}");
            }

            var added = next.Crl.Entries.Where(e => !old.TryGetRevocation(e.SerialNumber, out _)).ToList();
            _current = next;
            _stamp = stamp;
            _hash = hash;
            return new CrlReload(true, added, null);
        }
    }

    private (long Length, DateTime Written) Stamp()
    {
        try
        {
            var info = new FileInfo(_path);
            return (info.Length, info.LastWriteTimeUtc);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PkiException($"CRL file {_path}: cannot be read ({ex.Message})", ex);
        }
    }

    private byte[] Read()
    {
        try
        {
            return File.ReadAllBytes(_path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PkiException($"CRL file {_path}: cannot be read ({ex.Message})", ex);
        }
    }

    private CrlRevocationSource Parse(byte[] bytes)
    {
        try
        {
            return CrlRevocationSource.FromPem(System.Text.Encoding.UTF8.GetString(bytes), _root);
        }
        catch (PkiException ex)
        {
            throw new PkiException($"CRL file {_path}: {ex.Message}", ex);
        }
        catch (FormatException ex)
        {
            throw new PkiException($"CRL file {_path}: not a PEM CRL ({ex.Message})", ex);
        }
    }
}
