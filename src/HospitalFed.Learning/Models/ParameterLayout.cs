namespace HospitalFed.Learning.Models;

/// <summary>
/// The named layout of a model's single flat parameter vector. Sites, the aggregator and the
/// strategies only ever see the flat vector; the layout says what each element means.
/// </summary>
public sealed class ParameterLayout
{
    private readonly ParameterSegment[] _segments;

    /// <summary>Builds a layout from (name, rows, columns) blocks laid out back to back in order.</summary>
    /// <param name="blocks">The blocks, in storage order.</param>
    /// <exception cref="ArgumentException">A block is empty or a name repeats.</exception>
    public ParameterLayout(IEnumerable<(string Name, int Rows, int Columns)> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var segments = new List<ParameterSegment>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var offset = 0;
        foreach (var (name, rows, columns) in blocks)
        {
            if (rows <= 0 || columns <= 0)
            {
                throw new ArgumentException($"Parameter block '{name}' must have positive dimensions, got {rows}x{columns}.", nameof(blocks));
            }

            if (!names.Add(name))
            {
                throw new ArgumentException($"Parameter block name '{name}' appears twice.", nameof(blocks));
            }

            segments.Add(new ParameterSegment(name, offset, rows, columns));
            offset = checked(offset + (rows * columns));
        }

        _segments = [.. segments];
        Count = offset;
    }

    /// <summary>Total number of parameters (length of the flat vector).</summary>
    public int Count { get; }

    /// <summary>The blocks in storage order.</summary>
    public IReadOnlyList<ParameterSegment> Segments => _segments;

    /// <summary>Returns the block with the given name.</summary>
    /// <exception cref="KeyNotFoundException">No block has that name.</exception>
    public ParameterSegment this[string name] =>
        Array.Find(_segments, s => s.Name == name) ?? throw new KeyNotFoundException($"No parameter block named '{name}'.");

    /// <summary>Returns the view of <paramref name="parameters"/> that holds block <paramref name="name"/>.</summary>
    public Span<T> Slice<T>(Span<T> parameters, string name)
    {
        var segment = this[name];
        return parameters.Slice(segment.Offset, segment.Length);
    }
}
