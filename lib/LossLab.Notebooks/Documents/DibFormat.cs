using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LossLab.Notebooks.Documents;

/// <summary>
/// Reads Polyglot's plain-text .dib format: an optional <c>#!meta</c> block of one-line JSON, then cells each starting with a
/// <c>#!kernel</c> line. Leading and trailing blank lines of a cell are trimmed; a <c>#!xxx</c> line that is not a kernel name
/// stays in the cell as a magic command. The result is a notebook in Polyglot's .ipynb shape (outputs go to .ipynb).
/// </summary>
public static class DibFormat
{
    /// <summary>Reads the .dib file at <paramref name="path"/>.</summary>
    public static NotebookDocument Read(string path)
    {
        string text;
        try { text = File.ReadAllText(path, Encoding.UTF8); }
        catch (IOException e) { throw new NotebookFormatException(path, e.Message, e); }
        return Parse(text, path);
    }

    /// <summary>Parses .dib text; <paramref name="path"/> only names the source in errors.</summary>
    public static NotebookDocument Parse(string text, string path = "<notebook.dib>")
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        JsonObject? meta = null;
        var raw = new List<(string Kernel, List<string> Lines)>();
        (string Kernel, List<string> Lines)? current = null;
        bool inMeta = false;
        var defaultKernel = KernelNames.CSharp;
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (trimmed == "#!meta")
            {
                current = null;
                inMeta = true;
                continue;
            }
            if (trimmed.StartsWith("#!", StringComparison.Ordinal) && KernelNames.Normalize(trimmed[2..]) is { } kernel
               )
            {
                current = (kernel, new List<string>());
                raw.Add(current.Value);
                inMeta = false;
                continue;
            }
            if (inMeta)
            {
                if (trimmed.Length == 0) continue;
                try { meta = JsonNode.Parse(trimmed) as JsonObject; }
                catch (JsonException e) { throw new NotebookFormatException(path, $"line {i + 1}: the #!meta block is not valid JSON: {e.Message}", e); }
                inMeta = false;
                if (meta?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>() is { } d) defaultKernel = KernelNames.Normalize(d) ?? d;
                continue;
            }
            if (current is null)
            {
                if (trimmed.Length == 0) continue;
                current = (defaultKernel, new List<string>());
                raw.Add(current.Value);
            }
            current.Value.Lines.Add(line);
        }

        var metadata = new JsonObject
        {
            ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
            ["language_info"] = new JsonObject { ["name"] = "C#" },
            ["polyglot_notebook"] = new JsonObject
            {
                ["kernelInfo"] = meta?["kernelInfo"]?.DeepClone() ?? new JsonObject
                {
                    ["defaultKernelName"] = KernelNames.CSharp,
                    ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = KernelNames.CSharp }),
                },
            },
        };
        var cells = new List<NotebookCell>();
        foreach (var (kernel, cellLines) in raw)
        {
            int start = 0, end = cellLines.Count;
            while (start < end && cellLines[start].Trim().Length == 0) start++;
            while (end > start && cellLines[end - 1].Trim().Length == 0) end--;
            var source = string.Join("\n", cellLines.Skip(start).Take(end - start));
            NotebookCell cell;
            if (kernel == KernelNames.Markdown) cell = NotebookCell.Create("markdown", source);
            else
            {
                cell = NotebookCell.Create("code", source, metadata: new JsonObject
                {
                    ["dotnet_interactive"] = new JsonObject { ["language"] = kernel },
                    ["polyglot_notebook"] = new JsonObject { ["kernelName"] = kernel },
                });
                cell.KernelName = kernel;
            }
            cells.Add(cell);
        }
        var json = new JsonObject { ["cells"] = new JsonArray(), ["metadata"] = metadata, ["nbformat"] = 4, ["nbformat_minor"] = 5 };
        return new NotebookDocument(json, cells, indent: 1, finalNewline: true);
    }

}
