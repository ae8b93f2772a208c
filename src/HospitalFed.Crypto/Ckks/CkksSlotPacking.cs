namespace HospitalFed.Crypto.Ckks;

/// <summary>How real values map onto the N/2 complex slots of one plaintext polynomial.</summary>
public enum CkksSlotPacking
{
    /// <summary>One real value per slot (imaginary part zero): N/2 values per polynomial, as in SEAL.</summary>
    Real = 1,

    /// <summary>
    /// Two real values per slot, as its real and imaginary parts: N values per polynomial. Addition
    /// is C-linear, so sums stay exact per part; this halves the wire size of an aggregation.
    /// </summary>
    Complex = 2,
}
