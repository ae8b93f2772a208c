using System.Numerics;

namespace HospitalFed.Crypto.Privacy.Internal;

/// <summary>
/// Canonne, Kamath and Steinke (NeurIPS 2020) Algorithms 1 and 3 in exact integer arithmetic over
/// <typeparamref name="T"/>: <see cref="long"/> or <see cref="Int128"/> (checked) when the
/// variance's numerator and denominator are small, <see cref="BigInteger"/> otherwise. The
/// variance is sigma^2 = n / d.
/// </summary>
/// <remarks>
/// A candidate far enough in the tail that the acceptance exponent overflows <typeparamref name="T"/>
/// has it computed by the <see cref="BigInteger"/> core instead, before any randomness is drawn
/// for it, so the fixed-width paths stay exact. The Bernoulli loop's K * denominator could only
/// overflow after thousands of consecutive successes, each of probability at most 1/K.
/// </remarks>
internal sealed class ExactDiscreteGaussianCore<T>
    where T : IBinaryInteger<T>
{
    private readonly UniformIntegers _uniform;
    private readonly T _n;
    private readonly T _d;
    private readonly T _t;
    private readonly T _dt;
    private readonly T _twoNdT2;
    private readonly ExactDiscreteGaussianCore<BigInteger>? _wide;

    public ExactDiscreteGaussianCore(UniformIntegers uniform, T numerator, T denominator, T t, ExactDiscreteGaussianCore<BigInteger>? wide = null)
    {
        _wide = wide;
        _uniform = uniform;
        _n = numerator;
        _d = denominator;
        _t = t;
        _dt = checked(denominator * t);
        _twoNdT2 = checked(T.CreateChecked(2) * numerator * _dt * t);
    }

    /// <summary>Algorithm 3: discrete Laplace proposal with scale t, accepted with the Gaussian ratio.</summary>
    public T Sample()
    {
        while (true)
        {
            // Algorithm 2 (discrete Laplace, scale t): U uniform in [0, t), kept with probability exp(-U/t) ...
            var u = _uniform.NextBelow(_t);
            if (!BernoulliExp(u, _t))
            {
                continue;
            }

            // ... V geometric with success probability 1 - exp(-1) ...
            var v = T.Zero;
            while (BernoulliExp(T.One, T.One))
            {
                v++;
            }

            // ... X = U + tV, a random sign, and the double-counted zero rejected.
            var x = checked(u + (_t * v));
            var negative = _uniform.NextBit();
            if (negative && x == T.Zero)
            {
                continue;
            }

            // Accept with probability exp(-(|Z| - sigma^2/t)^2 / (2 sigma^2)) = exp(-(X d t - n)^2 / (2 n d t^2)).
            if (Accept(x))
            {
                return negative ? -x : x;
            }
        }
    }

    /// <summary>The final rejection step for |Z| = <paramref name="x"/>.</summary>
    public bool Accept(T x)
    {
        T exponent;
        try
        {
            var centred = checked((x * _dt) - _n);
            exponent = checked(centred * centred);
        }
        catch (OverflowException) when (_wide is not null)
        {
            return _wide.Accept(BigInteger.CreateChecked(x));
        }

        return BernoulliExp(exponent, _twoNdT2);
    }

    /// <summary>Algorithm 1: Bernoulli(exp(-gamma)) for gamma = numerator / denominator >= 0.</summary>
    public bool BernoulliExp(T numerator, T denominator)
    {
        if (numerator > denominator)
        {
            // exp(-gamma) = exp(-1)^floor(gamma) * exp(-(gamma - floor(gamma))).
            var (whole, remainder) = T.DivRem(numerator, denominator);
            for (var k = T.Zero; k < whole; k++)
            {
                if (!BernoulliExpAtMostOne(T.One, T.One))
                {
                    return false;
                }
            }

            return BernoulliExpAtMostOne(remainder, denominator);
        }

        return BernoulliExpAtMostOne(numerator, denominator);
    }

    private bool BernoulliExpAtMostOne(T numerator, T denominator)
    {
        // K counts the Bernoulli(gamma / K) successes in a row; exp(-gamma) = P(K is odd).
        var k = T.One;
        while (_uniform.NextBelow(checked(denominator * k)) < numerator)
        {
            k++;
        }

        return T.IsOddInteger(k);
    }
}
