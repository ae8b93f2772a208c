namespace HospitalFed.Learning.Models;

/// <summary>
/// A contiguous minibatch: <see cref="Rows"/> feature rows (row-major) and their targets.
/// </summary>
/// <typeparam name="T">Element type (float in training, double in gradient checks).</typeparam>
public readonly ref struct ModelBatch<T>
{
    /// <summary>Creates a batch over caller-owned memory.</summary>
    /// <param name="features">Row-major features, <paramref name="rows"/> x input count.</param>
    /// <param name="targets">One target per row: 0/1 label, class index, or survival time.</param>
    /// <param name="events">Event indicators (1 = event observed, 0 = censored); only the Cox model reads it.</param>
    /// <param name="rows">Number of rows.</param>
    public ModelBatch(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, ReadOnlySpan<T> events, int rows)
    {
        Features = features;
        Targets = targets;
        Events = events;
        Rows = rows;
    }

    /// <summary>Row-major features.</summary>
    public ReadOnlySpan<T> Features { get; }

    /// <summary>One target per row.</summary>
    public ReadOnlySpan<T> Targets { get; }

    /// <summary>Event indicators per row (Cox only; may be empty otherwise).</summary>
    public ReadOnlySpan<T> Events { get; }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }
}
