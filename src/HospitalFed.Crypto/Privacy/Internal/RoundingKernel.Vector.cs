using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using HospitalFed.Crypto.Ckks;

namespace HospitalFed.Crypto.Privacy.Internal;

/// <summary>The AVX-512 (eight lanes) and AVX2 (four lanes) steps of <see cref="RoundingKernel"/>, and the slow path of a tie.</summary>
internal static partial class RoundingKernel
{
    /// <summary>
    /// AVX-512 in 64-bit integer lanes: t = floor(2^16 |s|) (exact, as |s| &lt; 2^30) holds floor(|s|)
    /// in its high bits and floor(2^16 frac) in its low 16, so one conversion replaces both floors.
    /// </summary>
    private readonly struct Lanes512 : IRoundingLanes
    {
        public static int Count => 8;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Step(ref double v, ref ushort coin, ref int destination, double multiplier, IRandomSource random, ref long accumulator)
        {
            var s = Vector512.LoadUnsafe(ref v) * multiplier;
            var t = Avx512DQ.ConvertToVector512Int64WithTruncation(Vector512.Abs(s) * TwoTo16);
            var threshold = t & Vector512.Create(0xFFFFL);
            var wideCoin = Avx512F.ConvertToVector512Int64(Vector128.LoadUnsafe(ref coin));
            if (Vector512.EqualsAny(wideCoin, threshold))
            {
                accumulator += StepWithTies(ref v, ref coin, ref destination, multiplier, random, 8);
                return;
            }

            var magnitude = Vector512.ShiftRightLogical(t, 16) - Vector512.LessThan(wideCoin, threshold);
            var negative = Vector512.ShiftRightArithmetic(s.AsInt64(), 63);
            var q = (magnitude ^ negative) - negative;
            Avx512F.ConvertToVector256Int32(q).StoreUnsafe(ref destination);
            Unsafe.As<long, Vector512<long>>(ref accumulator) += Avx512F.Multiply(q.AsInt32(), q.AsInt32());
        }
    }

    private readonly struct Lanes256 : IRoundingLanes
    {
        public static int Count => 4;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Step(ref double v, ref ushort coin, ref int destination, double multiplier, IRandomSource random, ref long accumulator)
        {
            var s = Vector256.LoadUnsafe(ref v) * multiplier;
            var a = Vector256.Abs(s);
            var floor = Vector256.Floor(a);
            var scaledFraction = (a - floor) * TwoTo16;
            var threshold = Vector256.Floor(scaledFraction);
            var integerThreshold = Avx.ConvertToVector128Int32WithTruncation(threshold);
            var wideCoin = Sse41.ConvertToVector128Int32(Vector128.CreateScalarUnsafe(Unsafe.As<ushort, ulong>(ref coin)).AsUInt16());
            var up = Vector128.LessThan(wideCoin, integerThreshold);
            var tie = Vector128.Equals(wideCoin, integerThreshold);
            if (tie != Vector128<int>.Zero)
            {
                accumulator += StepWithTies(ref v, ref coin, ref destination, multiplier, random, 4);
                return;
            }

            var magnitude = floor - Avx.ConvertToVector256Double(up);
            var q = Avx.ConvertToVector128Int32WithTruncation(magnitude ^ (s & Vector256.Create(-0.0)));
            var wide = Avx2.ConvertToVector256Int64(q);
            q.StoreUnsafe(ref destination);
            Unsafe.As<long, Vector256<long>>(ref accumulator) += Avx2.Multiply(wide.AsInt32(), wide.AsInt32());
        }
    }

    /// <summary>A step with a tie: redone value by value on the scalar path, which gives the same results and draws in the same order.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long StepWithTies(ref double v, ref ushort coin, ref int destination, double multiplier, IRandomSource random, int count)
    {
        long squares = 0;
        for (var i = 0; i < count; i++)
        {
            var q = RoundOne(Unsafe.Add(ref v, i) * multiplier, Unsafe.Add(ref coin, i), random);
            squares += (long)q * q;
            Unsafe.Add(ref destination, i) = q;
        }

        return squares;
    }
}
