using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LossLab.Notebooks.Documents;

/// <summary>
/// Writes JSON the way VS Code's ipynb serializer and nbformat do: <c>JSON.stringify(value, null, indent)</c> layout,
/// non-ASCII characters kept, only quotes, backslashes and control characters escaped (lower-case <c>\u00xx</c>),
/// numbers as they were read. System.Text.Json's own writer escapes more (emoji, <c>+</c>, …), so it is not used.
/// </summary>
public static class JsonText
{
    /// <summary>Serializes <paramref name="node"/> with <paramref name="indent"/> spaces per level (0 = one line).</summary>
    public static string Write(JsonNode? node, int indent = 1)
    {
        var sb = new StringBuilder();
        WriteNode(sb, node, indent, 0);
        return sb.ToString();
    }

    static void WriteNode(StringBuilder sb, JsonNode? node, int indent, int depth)
    {
        switch (node)
        {
            case null: sb.Append("null"); break;
            case JsonObject obj:
                if (obj.Count == 0) { sb.Append("{}"); break; }
                sb.Append('{');
                bool first = true;
                foreach (var (key, value) in obj)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    NewLine(sb, indent, depth + 1);
                    WriteString(sb, key);
                    sb.Append(indent > 0 ? ": " : ":");
                    WriteNode(sb, value, indent, depth + 1);
                }
                NewLine(sb, indent, depth);
                sb.Append('}');
                break;
            case JsonArray arr:
                if (arr.Count == 0) { sb.Append("[]"); break; }
                sb.Append('[');
                for (int i = 0; i < arr.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    NewLine(sb, indent, depth + 1);
                    WriteNode(sb, arr[i], indent, depth + 1);
                }
                NewLine(sb, indent, depth);
                sb.Append(']');
                break;
            case JsonValue value:
                WriteValue(sb, value);
                break;
        }
    }

    static void NewLine(StringBuilder sb, int indent, int depth)
    {
        if (indent <= 0) return;
        sb.Append('\n').Append(' ', indent * depth);
    }

    static void WriteValue(StringBuilder sb, JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String: WriteString(sb, element.GetString()!); return;
                case JsonValueKind.Number: sb.Append(element.GetRawText()); return;
                case JsonValueKind.True: sb.Append("true"); return;
                case JsonValueKind.False: sb.Append("false"); return;
                case JsonValueKind.Null: sb.Append("null"); return;
                default: WriteNode(sb, JsonNode.Parse(element.GetRawText()), 0, 0); return;
            }
        }
        if (value.TryGetValue<string>(out var s)) { WriteString(sb, s); return; }
        if (value.TryGetValue<bool>(out var b)) { sb.Append(b ? "true" : "false"); return; }
        if (value.TryGetValue<int>(out var i)) { sb.Append(i.ToString(CultureInfo.InvariantCulture)); return; }
        if (value.TryGetValue<long>(out var l)) { sb.Append(l.ToString(CultureInfo.InvariantCulture)); return; }
        if (value.TryGetValue<double>(out var d)) { sb.Append(Number(d)); return; }
        if (value.TryGetValue<float>(out var f)) { sb.Append(Number(f)); return; }
        if (value.TryGetValue<decimal>(out var m)) { sb.Append(m.ToString(CultureInfo.InvariantCulture)); return; }
        sb.Append(value.ToJsonString());
    }

    /// <summary>A double as JSON: shortest round-trip digits; NaN and infinities (not JSON) become null.</summary>
    public static string Number(double d) =>
        double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "null";

    /// <summary>Appends <paramref name="s"/> as a JSON string literal with JSON.stringify's escaping.</summary>
    public static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { sb.Append(c).Append(s[i + 1]); i++; }
                    else if (char.IsSurrogate(c)) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }

    /// <summary>Sets <paramref name="key"/> on <paramref name="obj"/>; a new key goes where sorted order puts it, as nbformat
    /// and VS Code write keys sorted, so that files keep their layout.</summary>
    public static void SetSorted(JsonObject obj, string key, JsonNode? value)
    {
        if (obj.ContainsKey(key)) { obj[key] = value; return; }
        int index = 0;
        foreach (var pair in obj)
        {
            if (string.CompareOrdinal(pair.Key, key) > 0) break;
            index++;
        }
        obj.Insert(index, key, value);
    }

    /// <summary>A JSON string node, or the Jupyter multi-line form (an array of lines each keeping its '\n').</summary>
    public static JsonArray Lines(string text)
    {
        var array = new JsonArray();
        foreach (var line in SplitLines(text)) array.Add(line);
        return array;
    }

    /// <summary>Splits text into lines that keep their line ending, as Jupyter stores multi-line strings.</summary>
    public static IEnumerable<string> SplitLines(string text)
    {
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0) { yield return text[start..]; yield break; }
            yield return text[start..(end + 1)];
            start = end + 1;
        }
    }

    /// <summary>Reads a Jupyter multi-line string: a string, or an array of strings joined.</summary>
    public static string JoinLines(JsonNode? node) => node switch
    {
        null => "",
        JsonArray arr => string.Concat(arr.Select(n => n?.GetValue<string>() ?? "")),
        JsonValue v => v.GetValue<string>(),
        _ => throw new FormatException($"expected a string or an array of strings, found {node.GetValueKind()}"),
    };
}
