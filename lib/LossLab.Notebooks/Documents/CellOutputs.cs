using System.Text.Json.Nodes;

namespace LossLab.Notebooks.Documents;

/// <summary>Builds nbformat 4 output objects (keys sorted, as nbformat and VS Code write them).</summary>
public static class CellOutputs
{
    /// <summary>A stream output: <paramref name="name"/> is stdout or stderr.</summary>
    public static JsonObject Stream(string name, string text) =>
        new() { ["name"] = name, ["output_type"] = "stream", ["text"] = JsonText.Lines(text) };

    /// <summary>A display_data output.</summary>
    public static JsonObject DisplayData(IEnumerable<KeyValuePair<string, string>> data, JsonObject? metadata = null) =>
        new() { ["data"] = Data(data), ["metadata"] = metadata ?? new JsonObject(), ["output_type"] = "display_data" };

    /// <summary>An execute_result output (a cell's trailing expression).</summary>
    public static JsonObject ExecuteResult(int executionCount, IEnumerable<KeyValuePair<string, string>> data, JsonObject? metadata = null) =>
        new() { ["data"] = Data(data), ["execution_count"] = executionCount, ["metadata"] = metadata ?? new JsonObject(), ["output_type"] = "execute_result" };

    /// <summary>An error output.</summary>
    public static JsonObject Error(string ename, string evalue, IEnumerable<string> traceback) =>
        new() { ["ename"] = ename, ["evalue"] = evalue, ["output_type"] = "error", ["traceback"] = new JsonArray(traceback.Select(t => (JsonNode?)t).ToArray()) };

    static JsonObject Data(IEnumerable<KeyValuePair<string, string>> data)
    {
        var obj = new JsonObject();
        foreach (var (mime, text) in data.OrderBy(p => p.Key, StringComparer.Ordinal))
            obj[mime] = mime.EndsWith("json", StringComparison.Ordinal) && TryParse(text) is { } json ? json : JsonText.Lines(text);
        return obj;
    }

    static JsonNode? TryParse(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (System.Text.Json.JsonException) { return null; }
    }

    /// <summary>Appends a stream output, merging it into the last output when that is the same stream (as Jupyter front ends do).</summary>
    public static void AppendStream(JsonArray outputs, string name, string text)
    {
        if (text.Length == 0) return;
        if (outputs.Count > 0 && outputs[^1] is JsonObject last && last["output_type"]?.GetValue<string>() == "stream"
            && last["name"]?.GetValue<string>() == name)
        {
            var merged = JsonText.JoinLines(last["text"]) + text;
            last["text"] = JsonText.Lines(merged);
            return;
        }
        outputs.Add(Stream(name, text));
    }
}
