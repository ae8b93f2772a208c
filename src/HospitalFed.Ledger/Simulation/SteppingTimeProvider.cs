namespace HospitalFed.Ledger.Simulation;

/// <summary>A clock for simulations: starts at a given instant and advances by a fixed step each time it is read.</summary>
public sealed class SteppingTimeProvider : TimeProvider
{
    private readonly TimeSpan _step;
    private DateTimeOffset _now;

    /// <summary>Starts at <paramref name="start"/> and advances <paramref name="step"/> per read.</summary>
    public SteppingTimeProvider(DateTimeOffset start, TimeSpan step)
    {
        _now = start;
        _step = step;
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        var now = _now;
        _now += _step;
        return now.ToUniversalTime();
    }

    /// <summary>Moves the clock forward by <paramref name="delta"/>.</summary>
    public void Advance(TimeSpan delta) => _now += delta;
}
