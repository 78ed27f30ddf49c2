using System.Text.Json;
using System.Text.Json.Nodes;

namespace LossLab.Notebooks.Jupyter;

/// <summary>A Jupyter connection file: transport, ip, the five channels' ports, the signing key and scheme.</summary>
public sealed record ConnectionInfo(string Transport, string Ip, int ShellPort, int ControlPort, int IopubPort, int StdinPort, int HeartbeatPort,
    string Key, string SignatureScheme)
{
    /// <summary>Reads and checks <paramref name="path"/>; a missing file, malformed JSON, a missing or wrong-typed field,
    /// a transport other than tcp or a signature scheme other than hmac-sha256 throws <see cref="ArgumentException"/> naming it.</summary>
    public static ConnectionInfo Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new ArgumentException($"The connection file '{path}' does not exist.");
        JsonObject root;
        try { root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new ArgumentException($"The connection file '{path}' is not a JSON object."); }
        catch (JsonException e) { throw new ArgumentException($"The connection file '{path}' is not valid JSON: {e.Message}"); }
        string Text(string name, string? fallback = null)
        {
            var node = root[name];
            if (node is null) return fallback ?? throw new ArgumentException($"The connection file '{path}' has no \"{name}\".");
            return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new ArgumentException($"The connection file '{path}': \"{name}\" must be a string.");
        }
        int Port(string name)
        {
            var node = root[name] ?? throw new ArgumentException($"The connection file '{path}' has no \"{name}\".");
            if (node is JsonValue v && v.TryGetValue<int>(out var port) && port is > 0 and < 65536) return port;
            throw new ArgumentException($"The connection file '{path}': \"{name}\" must be a port number (1-65535), not {node.ToJsonString()}.");
        }
        var transport = Text("transport", "tcp");
        if (transport != "tcp")
            throw new ArgumentException($"The connection file '{path}': transport \"{transport}\" is not supported (LossLab's kernel serves \"tcp\" only).");
        var scheme = Text("signature_scheme", "hmac-sha256");
        if (scheme != "hmac-sha256")
            throw new ArgumentException($"The connection file '{path}': signature_scheme \"{scheme}\" is not supported (only \"hmac-sha256\").");
        return new ConnectionInfo(transport, Text("ip"), Port("shell_port"), Port("control_port"), Port("iopub_port"), Port("stdin_port"), Port("hb_port"),
            Text("key", ""), scheme);
    }

    /// <summary>The endpoint of a port: <c>tcp://ip:port</c>.</summary>
    public string Endpoint(int port) => $"{Transport}://{Ip}:{port}";
}
