using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LossLab.Notebooks.Documents;

/// <summary>
/// Reads and writes Polyglot's plain-text .dib format as dotnet/interactive's <c>CodeSubmission</c> does. Reading: the first
/// <c>#!meta</c> line starts a block of JSON (one or more lines) that runs to the next line starting with <c>#!</c>; a cell
/// starts at a line that is exactly <c>#!kernel</c> at column 0 (a kernel name or alias: the known ones, those in the
/// metadata's <c>kernelInfo</c>, and markdown/md); any other <c>#!</c> line, a later <c>#!meta</c> included, stays in its cell
/// as a magic command. Leading and trailing empty lines of a cell are trimmed and empty cells dropped. The result is a
/// notebook in Polyglot's .ipynb shape (outputs go to .ipynb). Writing: the <c>#!meta</c> block (one-line JSON of
/// <c>kernelInfo</c>), then each non-empty cell as <c>#!kernel</c>, an empty line, its lines and an empty line, with the
/// file's line ending; outputs are not stored.
/// </summary>
public static class DibFormat
{
    const string MagicPrefix = "#!";

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
        var newLine = IpynbFormat.DetectNewLine(text);
        var lines = text.Replace("\r\n", "\n").Split('\n');
        JsonObject? meta = null;
        var extraAliases = new Dictionary<string, string>(StringComparer.Ordinal);
        var raw = new List<(string Kernel, List<string> Lines)>();
        var defaultKernel = KernelNames.CSharp;
        var currentKernel = defaultKernel;
        var currentLines = new List<string>();
        bool foundMeta = false;

        void AddCell()
        {
            if (currentLines.Count > 0) raw.Add((currentKernel, [.. currentLines]));
            currentLines.Clear();
        }

        // exact names only: "#!csharp " or " #!csharp" is not a cell splitter
        string? KernelOf(string name) =>
            extraAliases.TryGetValue(name, out var k) ? k : name == name.Trim() ? KernelNames.Normalize(name) : null;

        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (!foundMeta && line.StartsWith("#!meta", StringComparison.Ordinal))
            {
                foundMeta = true;
                int start = i + 1;
                var json = new StringBuilder();
                while (i < lines.Length - 1 && !lines[i + 1].StartsWith(MagicPrefix, StringComparison.Ordinal)) json.Append(lines[++i]).Append('\n');
                try { meta = JsonNode.Parse(json.ToString()) as JsonObject; }
                catch (JsonException e)
                {
                    throw new NotebookFormatException(path, $"line {start + 1 + (int)(e.LineNumber ?? 0)}: the #!meta block is not valid JSON: {e.Message}", e);
                }
                if (meta?["kernelInfo"] is JsonObject info)
                {
                    foreach (var item in info["items"] as JsonArray ?? [])
                    {
                        if (item?["name"]?.GetValue<string>() is not { } name) continue;
                        var canonical = KernelNames.Normalize(name) ?? name;
                        extraAliases[name] = canonical;
                        foreach (var alias in item["aliases"] as JsonArray ?? [])
                            if (alias?.GetValue<string>() is { } a) extraAliases[a] = canonical;
                    }
                    if (info["defaultKernelName"]?.GetValue<string>() is { } d) currentKernel = defaultKernel = KernelNames.Normalize(d) ?? d;
                }
                continue;
            }
            if (line.StartsWith(MagicPrefix, StringComparison.Ordinal) && KernelOf(line[MagicPrefix.Length..]) is { } kernel)
            {
                AddCell();
                currentKernel = kernel;
                continue;
            }
            currentLines.Add(line);
        }
        AddCell();

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
            while (start < end && cellLines[start].Length == 0) start++;
            while (end > start && cellLines[end - 1].Length == 0) end--;
            if (start == end) continue;
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
        var document = new JsonObject { ["cells"] = new JsonArray(), ["metadata"] = metadata, ["nbformat"] = 4, ["nbformat_minor"] = 5 };
        return new NotebookDocument(document, cells, indent: 1, finalNewline: true) { NewLine = newLine };
    }

    /// <summary>The notebook as .dib text (see the class summary), with the document's line ending.</summary>
    public static string Write(NotebookDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var lines = new List<string>();
        var kernelInfo = document.Metadata["polyglot_notebook"]?["kernelInfo"] ?? document.Metadata["kernelInfo"];
        if (kernelInfo is not null)
        {
            lines.Add("#!meta");
            lines.Add("");
            lines.Add(JsonText.Write(new JsonObject { ["kernelInfo"] = kernelInfo.DeepClone() }, 0));
            lines.Add("");
        }
        foreach (var cell in document.Cells)
        {
            if (cell.CellType == "raw") continue;
            var cellLines = cell.Source.Replace("\r\n", "\n").Split('\n').SkipWhile(l => l.Length == 0).ToList();
            while (cellLines.Count > 0 && cellLines[^1].Length == 0) cellLines.RemoveAt(cellLines.Count - 1);
            if (cellLines.Count == 0) continue;
            lines.Add(MagicPrefix + (cell.IsCode ? cell.KernelName : KernelNames.Markdown));
            lines.Add("");
            lines.AddRange(cellLines);
            lines.Add("");
        }
        return string.Join(document.NewLine, lines);
    }

    /// <summary>Writes the notebook as .dib to <paramref name="path"/> atomically.</summary>
    public static void Save(NotebookDocument document, string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        LossLab.Training.AtomicFile.WriteAllText(full, Write(document));
    }
}
