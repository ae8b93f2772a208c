namespace HospitalFed.Transport.Tests.Infrastructure;

/// <summary>
/// Measures managed heap growth over a transfer, sampled from inside the server's handler. Client and
/// server share this process, so the figures bound the server's own growth from above.
/// </summary>
internal sealed class HeapProbe
{
    private readonly long _baseline = GC.GetTotalMemory(forceFullCollection: true);
    private readonly Lock _gate = new();
    private long _peakLive;
    private long _peakUncollected;

    /// <summary>Largest live heap (after a full collection) above the baseline.</summary>
    public long LiveGrowth => Math.Max(0, _peakLive - _baseline);

    /// <summary>Largest heap including not-yet-collected garbage above the baseline.</summary>
    public long UncollectedGrowth => Math.Max(0, _peakUncollected - _baseline);

    public int Samples { get; private set; }

    /// <summary>Cheap sample: the heap as it is, garbage included.</summary>
    public void SampleUncollected()
    {
        var now = GC.GetTotalMemory(forceFullCollection: false);
        lock (_gate)
        {
            _peakUncollected = Math.Max(_peakUncollected, now);
        }
    }

    /// <summary>Expensive sample: forces a full collection to see what the transfer keeps alive.</summary>
    public void SampleLive()
    {
        var now = GC.GetTotalMemory(forceFullCollection: true);
        lock (_gate)
        {
            _peakLive = Math.Max(_peakLive, now);
            Samples++;
        }
    }
}
