using System.Buffers;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Canonical;

namespace HospitalFed.Ledger.Log;

/// <summary>
/// One signed round-log entry. The author signs, through <see cref="SigningIdentity"/>, the
/// canonical JSON {"body":...,"kind":...,"time":...} under purpose "hfed/log/&lt;kind&gt;" and the
/// binding (plan, round, author, "*"). The entry's position in the log is not signed (an author
/// cannot know it); the Merkle tree and signed tree heads fix the order instead.
/// </summary>
public sealed class LogEntry
{
    /// <summary>The timestamp format: UTC, millisecond precision, ISO 8601 with "Z".</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    internal LogEntry(LogEntryKind kind, string planId, long round, string author, DateTimeOffset time, JsonObject body, byte[] certificate, byte[] signature)
    {
        Kind = kind;
        PlanId = planId;
        Round = round;
        Author = author;
        Time = time;
        Body = body;
        CertificateDer = certificate;
        Signature = signature;
    }

    /// <summary>The entry kind.</summary>
    public LogEntryKind Kind { get; }

    /// <summary>The plan the entry belongs to.</summary>
    public string PlanId { get; }

    /// <summary>The round (0 for plan-level entries).</summary>
    public long Round { get; }

    /// <summary>The author's consortium name.</summary>
    public string Author { get; }

    /// <summary>When the author signed the entry (author's clock, millisecond precision).</summary>
    public DateTimeOffset Time { get; }

    /// <summary>The kind-specific content (treat as read-only).</summary>
    public JsonObject Body { get; }

    /// <summary>The author's certificate, DER.</summary>
    public byte[] CertificateDer { get; }

    /// <summary>The author's signature (64 bytes, IEEE P1363).</summary>
    public byte[] Signature { get; }

    /// <summary>The binding the signature covers.</summary>
    public MessageBinding Binding => new(PlanId, Round, Author, MessageBinding.Broadcast);

    /// <summary>Signs <paramref name="content"/> for <paramref name="planId"/> at <paramref name="time"/> (truncated to milliseconds).</summary>
    public static LogEntry Sign(SigningIdentity author, string planId, EntryContent content, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(author);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(planId);
        var utc = new DateTimeOffset(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        var body = (JsonObject)CanonicalJson.Parse(CanonicalJson.Encode(content.Body)); // private, normalised copy
        var payload = SignedPayload(content.Kind, utc, body);
        var binding = new MessageBinding(planId, content.Round, author.Name, MessageBinding.Broadcast);
        var signature = author.Sign(LogEntryKinds.Purpose(content.Kind), binding, payload);
        return new LogEntry(content.Kind, planId, content.Round, author.Name, utc, body, author.Certificate.RawData, signature);
    }

    /// <summary>The bytes the author's signature covers (with the purpose and binding).</summary>
    public byte[] SignedPayload() => SignedPayload(Kind, Time, Body);

    /// <summary>Loads the author's certificate.</summary>
    public X509Certificate2 LoadCertificate() => X509CertificateLoader.LoadCertificate(CertificateDer);

    /// <summary>Formats a timestamp the way entries carry it.</summary>
    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    internal static byte[] SignedPayload(LogEntryKind kind, DateTimeOffset time, JsonObject body)
    {
        // The canonical JSON {"body":...,"kind":...,"time":...}, members in ordinal order.
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = CanonicalJson.CreateWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("body");
            CanonicalJson.Write(writer, body);
            writer.WriteString("kind", LogEntryKinds.Name(kind));
            writer.WriteString("time", FormatTime(time));
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
