using HospitalFed.Protocol.V1;

namespace HospitalFed.Site.Rounds;

/// <summary>What the site sends in answer to one task: protocol messages and, at most once per round, its masked input.</summary>
/// <param name="Messages">Messages for Federation/Submit, sent after <paramref name="MaskedInput"/>.</param>
/// <param name="MaskedInput">Chunks for Federation/UploadMaskedInput (empty unless the task delivered shares).</param>
public sealed record SiteReply(IReadOnlyList<SiteMessage> Messages, IReadOnlyList<SecAggMaskedInputChunk> MaskedInput)
{
    /// <summary>Nothing to send.</summary>
    public static SiteReply None { get; } = new([], []);
}
