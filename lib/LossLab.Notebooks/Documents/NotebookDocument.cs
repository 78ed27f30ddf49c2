using System.Text.Json.Nodes;

namespace LossLab.Notebooks.Documents;

/// <summary>
/// A notebook read from .ipynb or .dib: its top-level JSON (metadata and any unknown keys, kept as read), its cells,
/// and the layout of the file it came from (indent, final newline) so that writing it back changes no byte.
/// </summary>
public sealed class NotebookDocument
{
    internal NotebookDocument(JsonObject json, List<NotebookCell> cells, int indent, bool finalNewline)
    {
        Json = json;
        Cells = cells;
        Indent = indent;
        FinalNewline = finalNewline;
    }

    /// <summary>The top-level JSON object; its "cells" array is rebuilt from <see cref="Cells"/> on write.</summary>
    public JsonObject Json { get; }

    /// <summary>The cells, in order. Insert or remove cells here.</summary>
    public List<NotebookCell> Cells { get; }

    /// <summary>Spaces per indent level when written (1 for Polyglot and VS Code files).</summary>
    public int Indent { get; set; }

    /// <summary>The line ending of the written file: "\n", or "\r\n" for a file read with Windows line endings.</summary>
    public string NewLine
    {
        get => newLine;
        set => newLine = value is "\n" or "\r\n" ? value : throw new ArgumentException($"The line ending must be \"\\n\" or \"\\r\\n\", not {System.Text.Json.JsonSerializer.Serialize(value)}.", nameof(value));
    }

    string newLine = "\n";

    /// <summary>Whether the written file ends with a newline.</summary>
    public bool FinalNewline { get; set; }

    /// <summary>The notebook metadata object.</summary>
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

    /// <summary>nbformat major version.</summary>
    public int NbFormat => Json["nbformat"]?.GetValue<int>() ?? 4;

    /// <summary>nbformat minor version.</summary>
    public int NbFormatMinor => Json["nbformat_minor"]?.GetValue<int>() ?? 5;

    /// <summary>The notebook's default kernel: <c>polyglot_notebook.kernelInfo.defaultKernelName</c>, the .dib top-level
    /// <c>kernelInfo</c>, the kernelspec, else csharp.</summary>
    public string DefaultKernelName => DefaultKernelOf(Metadata);

    internal static string DefaultKernelOf(JsonObject metadata)
    {
        var name = metadata["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>()
                   ?? metadata["kernelInfo"]?["defaultKernelName"]?.GetValue<string>();
        if (name is not null) return KernelNames.Normalize(name) ?? name;
        var spec = KernelNames.FromKernelspec(metadata["kernelspec"]?["name"]?.GetValue<string>());
        if (spec is not null) return spec;
        var language = metadata["kernelspec"]?["language"]?.GetValue<string>();
        return language is not null ? KernelNames.Normalize(language) ?? KernelNames.CSharp : KernelNames.CSharp;
    }

    /// <summary>Upgrades the notebook to what Polyglot writes: nbformat 4.5, an id on every cell, C# kernelspec and
    /// polyglot_notebook metadata when missing, sources as line arrays, <c>language_info.name</c> "C#", and the kernel on every code cell.
    /// Existing metadata is kept.</summary>
    public void NormalizeForPolyglot()
    {
        JsonText.SetSorted(Json, "nbformat", 4);
        if (NbFormatMinor < 5) JsonText.SetSorted(Json, "nbformat_minor", 5);
        var meta = Metadata;
        if (meta["kernelspec"] is not JsonObject)
            JsonText.SetSorted(meta, "kernelspec", new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" });
        if (meta["language_info"] is not JsonObject li) JsonText.SetSorted(meta, "language_info", new JsonObject { ["name"] = "C#" });
        else if (li["name"]?.GetValue<string>() != "C#") li["name"] = "C#";
        if (meta["polyglot_notebook"] is not JsonObject)
            JsonText.SetSorted(meta, "polyglot_notebook", new JsonObject
            {
                ["kernelInfo"] = new JsonObject
                {
                    ["defaultKernelName"] = KernelNames.CSharp,
                    ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = KernelNames.CSharp }),
                },
            });
        var seen = new HashSet<string>();
        foreach (var cell in Cells)
        {
            if (cell.Json["source"] is JsonValue) cell.Source = cell.Source;
            if (cell.Id is not { } id || !seen.Add(id))
            {
                string fresh;
                do fresh = NotebookCell.NewId(); while (!seen.Add(fresh));
                JsonText.SetSorted(cell.Json, "id", fresh);
            }
            if (cell.IsCode)
            {
                var m = cell.Metadata;
                if (m["dotnet_interactive"] is not JsonObject)
                    JsonText.SetSorted(m, "dotnet_interactive", new JsonObject { ["language"] = cell.KernelName });
                if (m["polyglot_notebook"] is not JsonObject)
                    JsonText.SetSorted(m, "polyglot_notebook", new JsonObject { ["kernelName"] = cell.KernelName });
            }
        }
    }
}
