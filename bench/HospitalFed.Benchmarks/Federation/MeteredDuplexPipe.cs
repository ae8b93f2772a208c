using System.IO.Pipelines;

namespace HospitalFed.Benchmarks.Federation;

/// <summary>A connection's transport with both directions counted by a <see cref="WireMeter"/>.</summary>
internal sealed class MeteredDuplexPipe(IDuplexPipe inner, WireMeter meter) : IDuplexPipe
{
    public PipeReader Input { get; } = new MeteredPipeReader(inner.Input, meter);

    public PipeWriter Output { get; } = new MeteredPipeWriter(inner.Output, meter);
}
