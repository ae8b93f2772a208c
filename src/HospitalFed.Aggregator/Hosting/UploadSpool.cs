using Google.Protobuf;

namespace HospitalFed.Aggregator.Hosting;

/// <summary>
/// Where in-flight protected uploads wait until their client stream completed whole: one
/// owner-only file per upload, deleted when it is replayed or discarded. A site that crashes or
/// loses its connection mid-upload therefore never puts part of its input into the running sum
/// (a pairwise-masked partial input could not be taken out again without learning both of that
/// site's secrets). The aggregator's memory stays O(chunk) per upload, never O(n x d).
/// Masked words and ciphertexts are not secret one by one, but they are kept 0600 and short-lived.
/// </summary>
internal sealed class UploadSpool
{
    private const string Suffix = ".upload";
    private readonly string _directory;

    /// <summary>Uses (and creates, owner-only) <paramref name="directory"/>; files left by a crashed process are deleted.</summary>
    public UploadSpool(string directory)
    {
        _directory = System.IO.Path.GetFullPath(directory);
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(_directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        foreach (var stale in System.IO.Directory.EnumerateFiles(_directory, "*" + Suffix))
        {
            File.Delete(stale); // an upload cut by the previous process's crash: its round was aborted on restart
        }
    }

    /// <summary>The spool directory (full path).</summary>
    public string Path => _directory;

    /// <summary>Starts spooling one upload; dispose it to delete the file.</summary>
    public Upload Begin()
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.DeleteOnClose | FileOptions.SequentialScan,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new Upload(new FileStream(System.IO.Path.Combine(_directory, Guid.NewGuid().ToString("N") + Suffix), options));
    }

    /// <summary>One spooled upload: length-delimited chunks in arrival order.</summary>
    internal sealed class Upload(FileStream file) : IDisposable
    {
        /// <summary>Payload bytes received so far.</summary>
        public long Bytes { get; private set; }

        /// <summary>Appends one chunk.</summary>
        public void Write(IMessage chunk)
        {
            chunk.WriteDelimitedTo(file);
            Bytes += chunk.CalculateSize();
        }

        /// <summary>Reads the chunks back, one at a time, in the order they arrived.</summary>
        public IEnumerable<T> Replay<T>(MessageParser<T> parser)
            where T : IMessage<T>
        {
            file.Flush();
            file.Position = 0;
            while (file.Position < file.Length)
            {
                yield return parser.ParseDelimitedFrom(file);
            }
        }

        /// <summary>Deletes the file.</summary>
        public void Dispose() => file.Dispose();
    }
}
