using System.Numerics;

namespace HospitalFed.Crypto.Privacy.Internal;

/// <summary>
/// Canonne, Kamath and Steinke (NeurIPS 2020) Algorithms 1 and 3 in exact integer arithmetic over
/// <typeparamref name="T"/>: <see cref="Int128"/> (checked) when the variance's numerator and
/// denominator are small, <see cref="BigInteger"/> otherwise. The variance is sigma^2 = n / d.
/// </summary>
internal sealed class ExactDiscreteGaussianCore<T>
    where T : IBinaryInteger<T>
{
    private readonly UniformIntegers _uniform;
    private readonly T _n;
    private readonly T _d;
    private readonly T _t;
    private readonly T _dt;
    private readonly T _twoNdT2;

    public ExactDiscreteGaussianCore(UniformIntegers uniform, T numerator, T denominator, T t)
    {
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
            var centred = checked((x * _dt) - _n);
            if (BernoulliExp(checked(centred * centred), _twoNdT2))
            {
                return negative ? -x : x;
            }
        }
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
