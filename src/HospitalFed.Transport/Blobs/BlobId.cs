namespace HospitalFed.Transport.Blobs;

/// <summary>Blob names: 1 to 128 characters of <c>[A-Za-z0-9._-]</c>, not starting with '.', so a name is always a safe file name.</summary>
public static class BlobId
{
    /// <summary>Longest accepted name.</summary>
    public const int MaxLength = 128;

    /// <summary>Whether <paramref name="blobId"/> is an acceptable blob name.</summary>
    /// <param name="blobId">The candidate.</param>
    /// <returns><see langword="true"/> if valid.</returns>
    public static bool IsValid(string? blobId)
    {
        if (string.IsNullOrEmpty(blobId) || blobId.Length > MaxLength || blobId[0] == '.')
        {
            return false;
        }

        foreach (var c in blobId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    internal static string Require(string? blobId) => IsValid(blobId)
        ? blobId!
        : throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.InvalidArgument, $"Blob id must be 1 to {MaxLength} characters of [A-Za-z0-9._-], not starting with '.'."));
}
