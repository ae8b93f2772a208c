using System.Buffers;
using System.IO.Pipelines;

namespace HospitalFed.Benchmarks.Federation;

/// <summary>Counts the bytes the reader consumes (every byte received is consumed once).</summary>
internal sealed class MeteredPipeReader(PipeReader inner, WireMeter meter) : PipeReader
{
    private ReadOnlySequence<byte> _buffer;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        _buffer = result.Buffer;
        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        _buffer = result.Buffer;
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed)
    {
        Count(consumed);
        inner.AdvanceTo(consumed);
    }

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        Count(consumed);
        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    private void Count(SequencePosition consumed)
    {
        meter.AddReceived(_buffer.Slice(0, consumed).Length);
        _buffer = default;
    }
}
