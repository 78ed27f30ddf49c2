using System.Text.Json.Nodes;

namespace LossLab.Notebooks.Documents;

/// <summary>
/// One cell of a notebook. The cell's JSON object is kept as read, so that keys the engine does not know (attachments,
/// extra metadata such as tags) survive a round trip unchanged; the properties read and write through it.
/// </summary>
public sealed class NotebookCell
{
    internal NotebookCell(JsonObject json, string kernelName, string code)
    {
        Json = json;
        KernelName = kernelName;
        Code = code;
    }

    /// <summary>Creates a new cell of <paramref name="cellType"/> ("code", "markdown" or "raw") with <paramref name="source"/>.</summary>
    public static NotebookCell Create(string cellType, string source, string? id = null, JsonObject? metadata = null)
    {
        var json = new JsonObject { ["cell_type"] = cellType };
        if (cellType == "code") json["execution_count"] = null;
        json["id"] = id ?? NewId();
        json["metadata"] = metadata ?? new JsonObject();
        if (cellType == "code") json["outputs"] = new JsonArray();
        json["source"] = JsonText.Lines(source);
        return new NotebookCell(json, cellType == "markdown" ? KernelNames.Markdown : KernelNames.CSharp, source);
    }

    /// <summary>A new cell id: 8 hexadecimal digits, as VS Code makes them.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N")[..8];

    /// <summary>The cell's JSON object (nbformat layout).</summary>
    public JsonObject Json { get; }

    /// <summary>code, markdown or raw.</summary>
    public string CellType => Json["cell_type"]?.GetValue<string>() ?? "code";

    /// <summary>The cell id, when the notebook has them (nbformat ≥ 4.5).</summary>
    public string? Id => Json["id"]?.GetValue<string>();

    /// <summary>The cell's source text exactly as stored.</summary>
    public string Source
    {
        get => JsonText.JoinLines(Json["source"]);
        set => Json["source"] = JsonText.Lines(value);
    }

    /// <summary>The kernel this cell runs in, resolved as Polyglot does (a <c>#!kernel</c> first line, then cell metadata, then
    /// the notebook default, else csharp); "markdown" for markdown cells.</summary>
    public string KernelName { get; internal set; }

    /// <summary>The code to run: the source without a kernel-chooser first line (replaced by an empty line, so line numbers hold).</summary>
    public string Code { get; internal set; }

    /// <summary>The cell metadata object (created when missing).</summary>
    public JsonObject Metadata
    {
        get
        {
            if (Json["metadata"] is JsonObject m) return m;
            m = new JsonObject();
            JsonText.SetSorted(Json, "metadata", m);
            return m;
        }
    }

    /// <summary>The cell's tags (<c>metadata.tags</c>).</summary>
    public IReadOnlyList<string> Tags =>
        Json["metadata"]?["tags"] is JsonArray tags ? tags.Select(t => t?.GetValue<string>() ?? "").ToList() : [];

    /// <summary>Whether the cell carries <paramref name="tag"/>.</summary>
    public bool HasTag(string tag) => Tags.Contains(tag);

    /// <summary>True for code cells.</summary>
    public bool IsCode => CellType == "code";

    /// <summary>The stored outputs of a code cell.</summary>
    public JsonArray Outputs
    {
        get
        {
            if (Json["outputs"] is JsonArray a) return a;
            a = new JsonArray();
            JsonText.SetSorted(Json, "outputs", a);
            return a;
        }
    }

    /// <summary>The execution count of a code cell (null when it has not run).</summary>
    public int? ExecutionCount
    {
        get => Json["execution_count"]?.GetValue<int>();
        set => JsonText.SetSorted(Json, "execution_count", value is int v ? JsonValue.Create(v) : null);
    }
}
