using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HospitalFed.Crypto.Arithmetic;
using HospitalFed.Crypto.Ckks;

namespace HospitalFed.Crypto.Privacy.Internal;

/// <summary>
/// One site's encoding (clip, rotate, scale, round conditionally, add the noise share) in two
/// passes over one pooled scratch vector, nothing allocated per call:
/// <list type="number">
/// <item>load the update with the rotation's signs and run the rotation's block levels, summing
/// ||x||^2 on the way (clipping is a scalar factor, and the transform is linear, so it is applied
/// at the end);</item>
/// <item>run the remaining levels tile by tile and, while each tile is in cache, multiply by
/// min(1, c/||x||) gamma / sqrt(d'), round with bulk coins and store the integer, zeroing the
/// scratch as it is read;</item>
/// <item>once the rounded vector meets the norm bound, add the noise share, modulo 2^32.</item>
/// </list>
/// If the rounded vector fails the exact norm check, both passes run again with fresh coins (the
/// rotation is deterministic, so this rounds the same vector again, as Algorithm 1 does).
/// The scratch and the coin buffer are zeroed before they go back to their pools. Unlike
/// <see cref="ConditionalRandomizedRounding.Round"/>, the rotated vector's norm is not measured
/// again: the clip factor is applied here, and privacy rests on the exact integer norm check.
/// Single-threaded on purpose: a site has other work, and the bar is per core.
/// </summary>
internal static class EncodePipeline
{
    public static void Encode(
        RandomizedHadamard rotation, ConditionalRandomizedRounding rounding, double clipNorm,
        ReadOnlySpan<float> update, ReadOnlySpan<int> noiseShare, Span<uint> destination, IRandomSource random, SimdWidth width)
    {
        var length = rotation.PaddedDimension;
        var scratchArray = ArrayPool<double>.Shared.Rent(length);
        var scratch = scratchArray.AsSpan(0, length);
        var holdsUpdate = false;
        try
        {
            using var coins = new RoundingCoins(random);
            for (var attempt = 1; attempt <= ConditionalRandomizedRounding.MaxAttempts; attempt++)
            {
                holdsUpdate = true;
                var squares = rotation.Blocked.LoadAndTransformBlocks(update, scratch, width);
                if (!double.IsFinite(squares))
                {
                    L2Clipping.Norm(update); // throws, naming the first coordinate that is not finite
                }

                var multiplier = L2Clipping.Factor(Math.Sqrt(squares), clipNorm) * (rotation.Normaliser * rounding.Scale);
                var words = MemoryMarshal.Cast<uint, int>(destination);
                var sink = new RoundingSink(multiplier, coins, words, random, width);
                rotation.Blocked.FinishTransform(scratch, ref sink, clearSource: true, width);
                holdsUpdate = false;
                if (sink.Squares <= rounding.NormBoundFloor)
                {
                    // In one sequential pass: read at the tiles' stride, the share cost several times more.
                    TensorPrimitives.Add(words, noiseShare, words);
                    return;
                }
            }

            destination.Clear();
            throw rounding.NoAttemptMetTheBound();
        }
        finally
        {
            // The second pass zeroes what it reads; only an exception in between leaves the update there.
            if (holdsUpdate)
            {
                CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(scratch));
            }

            ArrayPool<double>.Shared.Return(scratchArray);
        }
    }
}
