namespace HospitalFed.Crypto.Ckks;

/// <summary>
/// Where CKKS sampling draws its random bytes from. The default, <see cref="CryptographicRandomSource"/>,
/// is cryptographic; a <see cref="SeededRandomSource"/> gives reproducible runs for tests and simulations only.
/// Implementations must be safe to call from several threads at once.
/// </summary>
public interface IRandomSource
{
    /// <summary>Fills <paramref name="destination"/> with random bytes.</summary>
    void Fill(Span<byte> destination);
}
