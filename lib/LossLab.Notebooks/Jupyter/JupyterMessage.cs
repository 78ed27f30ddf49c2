using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace LossLab.Notebooks.Jupyter;

/// <summary>One Jupyter protocol message: the routing identities, header, parent header, metadata, content and buffers.</summary>
public sealed class JupyterMessage
{
    /// <summary>The protocol version this kernel speaks.</summary>
    public const string ProtocolVersion = "5.3";

    /// <summary>The delimiter between routing identities and the signed frames.</summary>
    public const string Delimiter = "<IDS|MSG>";

    public IReadOnlyList<byte[]> Identities { get; init; } = [];
    public JsonObject Header { get; init; } = [];
    public JsonObject ParentHeader { get; init; } = [];
    public JsonObject Metadata { get; init; } = [];
    public JsonObject Content { get; init; } = [];
    public IReadOnlyList<byte[]> Buffers { get; init; } = [];

    /// <summary>The header's msg_type.</summary>
    public string Type => Header["msg_type"]?.GetValue<string>() ?? "";

    /// <summary>A new message of <paramref name="type"/> answering <paramref name="parent"/> (null: none), in <paramref name="session"/>.</summary>
    public static JupyterMessage Create(string type, JsonObject content, JupyterMessage? parent, string session, IReadOnlyList<byte[]>? identities = null) => new()
    {
        Identities = identities ?? parent?.Identities ?? [],
        Header = new JsonObject
        {
            ["msg_id"] = Guid.NewGuid().ToString("N"),
            ["session"] = session,
            ["username"] = "losslab",
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["msg_type"] = type,
            ["version"] = ProtocolVersion,
        },
        ParentHeader = parent?.Header.DeepClone().AsObject() ?? [],
        Content = content,
    };
}

/// <summary>The wire format: identities, <c>&lt;IDS|MSG&gt;</c>, the HMAC-SHA256 signature (hex) of header, parent header,
/// metadata and content with the connection file's key, those four JSON frames, then buffers. An empty key means unsigned
/// messages (the signature frame is empty), as Jupyter specifies.</summary>
public sealed class MessageCodec(string key)
{
    readonly byte[] key = Encoding.UTF8.GetBytes(key);

    /// <summary>The hex signature of the four frames.</summary>
    public string Sign(IReadOnlyList<byte[]> frames)
    {
        if (key.Length == 0) return "";
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        foreach (var f in frames) hmac.AppendData(f);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    /// <summary>The frames of <paramref name="message"/>, signed.</summary>
    public List<byte[]> Encode(JupyterMessage message)
    {
        var parts = new[] { message.Header, message.ParentHeader, message.Metadata, message.Content }
            .Select(o => Encoding.UTF8.GetBytes(o.ToJsonString())).ToArray();
        var frames = new List<byte[]>(message.Identities);
        frames.Add(Encoding.UTF8.GetBytes(JupyterMessage.Delimiter));
        frames.Add(Encoding.ASCII.GetBytes(Sign(parts)));
        frames.AddRange(parts);
        frames.AddRange(message.Buffers);
        return frames;
    }

    /// <summary>Decodes and verifies <paramref name="frames"/>. Throws <see cref="InvalidMessageException"/> when the delimiter
    /// or a frame is missing, the signature does not match (compared in constant time), or a frame is not a JSON object.</summary>
    public JupyterMessage Decode(IReadOnlyList<byte[]> frames)
    {
        int delimiter = -1;
        var mark = Encoding.UTF8.GetBytes(JupyterMessage.Delimiter);
        for (int i = 0; i < frames.Count; i++)
            if (frames[i].AsSpan().SequenceEqual(mark)) { delimiter = i; break; }
        if (delimiter < 0) throw new InvalidMessageException("no <IDS|MSG> delimiter");
        if (frames.Count < delimiter + 6) throw new InvalidMessageException($"{frames.Count - delimiter - 1} frames after the delimiter, expected at least 5");
        var parts = frames.Skip(delimiter + 2).Take(4).ToArray();
        var expected = Encoding.ASCII.GetBytes(Sign(parts));
        if (!CryptographicOperations.FixedTimeEquals(expected, frames[delimiter + 1]))
            throw new InvalidMessageException("invalid signature");
        JsonObject Parse(byte[] frame, string what)
        {
            try { return JsonNode.Parse(frame) as JsonObject ?? throw new InvalidMessageException($"{what} is not a JSON object"); }
            catch (System.Text.Json.JsonException e) { throw new InvalidMessageException($"{what} is not valid JSON: {e.Message}"); }
        }
        return new JupyterMessage
        {
            Identities = frames.Take(delimiter).ToArray(),
            Header = Parse(parts[0], "header"),
            ParentHeader = Parse(parts[1], "parent_header"),
            Metadata = Parse(parts[2], "metadata"),
            Content = Parse(parts[3], "content"),
            Buffers = frames.Skip(delimiter + 6).ToArray(),
        };
    }
}

/// <summary>A message that is not valid on the wire (unsigned, badly signed or malformed); it is rejected, never handled.</summary>
public sealed class InvalidMessageException(string message) : Exception(message);
