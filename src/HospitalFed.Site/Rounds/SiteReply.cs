using HospitalFed.Protocol.V1;

namespace HospitalFed.Site.Rounds;

/// <summary>What the site sends in answer to one task: protocol messages and, at most once per round, its protected input.</summary>
/// <param name="Messages">Messages for Federation/Submit, sent after the input chunks.</param>
/// <param name="MaskedInput">Chunks for Federation/UploadMaskedInput (pairwise masking; empty unless the task delivered shares).</param>
public sealed record SiteReply(IReadOnlyList<SiteMessage> Messages, IReadOnlyList<SecAggMaskedInputChunk> MaskedInput)
{
    /// <summary>Nothing to send.</summary>
    public static SiteReply None { get; } = new([], []);

    /// <summary>Chunks for Federation/UploadProtectedInput (CKKS ciphertexts or, for protection "none", plain values); empty by default.</summary>
    public IReadOnlyList<ProtectedInputChunk> ProtectedInput { get; init; } = [];

    /// <summary>One message and no input.</summary>
    public static SiteReply Send(SiteMessage message) => new([message], []);
}
