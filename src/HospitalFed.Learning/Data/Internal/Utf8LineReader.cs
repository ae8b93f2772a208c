namespace HospitalFed.Learning.Data.Internal;

/// <summary>
/// Reads LF or CRLF lines from a stream into one reusable buffer, so memory is bounded by the
/// longest line, never by the file.
/// </summary>
internal sealed class Utf8LineReader
{
    private const int InitialSize = 64 * 1024;
    private readonly Stream _stream;
    private byte[] _buffer = new byte[InitialSize];
    private int _start;
    private int _end;
    private bool _eof;

    public Utf8LineReader(Stream stream) => _stream = stream;

    /// <summary>Returns the next line without its terminator; false at end of stream.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = TrimCarriageReturn(pending[..newline]);
                _start += newline + 1;
                return true;
            }

            if (_eof)
            {
                if (pending.IsEmpty)
                {
                    line = default;
                    return false;
                }

                line = TrimCarriageReturn(pending);
                _start = _end;
                return true;
            }

            Fill();
        }
    }

    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, checked(_buffer.Length * 2));
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }
}
