namespace HospitalFed.Crypto.Tests.SecAgg;

/// <summary>Where a simulated site stops talking (public only because NUnit test cases take it).</summary>
public enum DropPoint
{
    None = 0,

    /// <summary>Advertised keys, never sends shares.</summary>
    BeforeShareKeys,

    /// <summary>Sent shares, never sends masked input.</summary>
    AfterShareKeys,

    /// <summary>Sent masked input, never signs the survivor set.</summary>
    AfterMaskedInput,

    /// <summary>Signed the survivor set, never reveals shares.</summary>
    DuringUnmasking,
}
