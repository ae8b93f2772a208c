namespace HospitalFed.Crypto.Ckks;

/// <summary>Receives one serialised ciphertext of a streamed vector; the bytes are valid only during the call.</summary>
/// <param name="chunkIndex">Which chunk of the vector.</param>
/// <param name="ciphertext">Its serialisation (see <see cref="CkksSerializer"/>).</param>
public delegate void CkksChunkSink(long chunkIndex, ReadOnlySpan<byte> ciphertext);
