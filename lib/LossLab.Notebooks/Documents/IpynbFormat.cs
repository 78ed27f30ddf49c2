using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LossLab.Notebooks.Documents;

/// <summary>Reads and writes Jupyter .ipynb (nbformat 4.x) as Polyglot Notebooks do.</summary>
public static class IpynbFormat
{
    /// <summary>Reads the notebook at <paramref name="path"/>; a malformed file gives a <see cref="NotebookFormatException"/>
    /// naming the file and the problem.</summary>
    public static NotebookDocument Read(string path)
    {
        string text;
        try { text = File.ReadAllText(path, Encoding.UTF8); }
        catch (IOException e) { throw new NotebookFormatException(path, e.Message, e); }
        return Parse(text, path);
    }

    /// <summary>Parses .ipynb text; <paramref name="path"/> only names the source in errors.</summary>
    public static NotebookDocument Parse(string text, string path = "<notebook>")
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException(path, $"not valid JSON at line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1}: {FirstSentence(e.Message)}", e);
        }
        if (root is not JsonObject json) throw new NotebookFormatException(path, "the top level is not a JSON object.");
        try
        {
            if (json["nbformat"] is not JsonValue v || v.GetValue<int>() != 4)
                throw new NotebookFormatException(path, $"nbformat must be 4 (found {json["nbformat"]?.ToJsonString() ?? "nothing"}); older notebooks must be upgraded with Jupyter first.");
            if (json["cells"] is not JsonArray cellsJson) throw new NotebookFormatException(path, "there is no \"cells\" array.");
            var metadata = json["metadata"] as JsonObject ?? new JsonObject();
            var defaultKernel = NotebookDocument.DefaultKernelOf(metadata);
            var cells = new List<NotebookCell>();
            for (int i = 0; i < cellsJson.Count; i++)
            {
                if (cellsJson[i] is not JsonObject cell) throw new NotebookFormatException(path, $"cell {i + 1} is not a JSON object.");
                var type = cell["cell_type"]?.GetValue<string>() ?? throw new NotebookFormatException(path, $"cell {i + 1} has no cell_type.");
                if (type is not ("code" or "markdown" or "raw")) throw new NotebookFormatException(path, $"cell {i + 1} has unknown cell_type '{type}'.");
                string source;
                try { source = JsonText.JoinLines(cell["source"]); }
                catch (Exception e) when (e is FormatException or InvalidOperationException)
                { throw new NotebookFormatException(path, $"cell {i + 1}: source must be a string or an array of strings.", e); }
                var (kernel, code) = CellKernelResolver.Resolve(type, source, cell["metadata"] as JsonObject, defaultKernel);
                cells.Add(new NotebookCell(cell, kernel, code));
            }
            return new NotebookDocument(json, cells, DetectIndent(text), text.EndsWith('\n')) { NewLine = DetectNewLine(text) };
        }
        catch (InvalidOperationException e)
        {
            throw new NotebookFormatException(path, $"unexpected JSON value type: {e.Message}", e);
        }
    }

    /// <summary>The notebook as .ipynb text, in the layout it was read with (indent, line ending, final newline; new
    /// notebooks: 1-space indent, \n, final newline), so that a file read and written unedited keeps every byte.</summary>
    public static string Write(NotebookDocument document)
    {
        var cells = new JsonArray();
        foreach (var cell in document.Cells)
        {
            cell.Json.Parent?.AsArray().Remove(cell.Json);
            cells.Add(cell.Json);
        }
        var old = document.Json["cells"];
        if (old is JsonArray oldArray) oldArray.Clear();
        JsonText.SetSorted(document.Json, "cells", cells);
        var text = JsonText.Write(document.Json, document.Indent);
        if (document.FinalNewline) text += "\n";
        // JSON strings escape their line breaks, so every raw '\n' is layout.
        return document.NewLine == "\n" ? text : text.Replace("\n", document.NewLine, StringComparison.Ordinal);
    }

    /// <summary>Writes the notebook to <paramref name="path"/> atomically (a temporary file in the same folder, then a rename),
    /// so a reader never sees a half-written file.</summary>
    public static void Save(NotebookDocument document, string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        LossLab.Training.AtomicFile.WriteAllText(full, Write(document));
    }

    /// <summary>The file's line ending: "\r\n" when its first line ends so (files saved on Windows), else "\n".</summary>
    internal static string DetectNewLine(string text)
    {
        int nl = text.IndexOf('\n');
        return nl > 0 && text[nl - 1] == '\r' ? "\r\n" : "\n";
    }

    static int DetectIndent(string text)
    {
        int nl = text.IndexOf('\n');
        if (nl < 0 || nl + 1 >= text.Length) return 1;
        int n = 0;
        while (nl + 1 + n < text.Length && text[nl + 1 + n] == ' ') n++;
        return n == 0 ? 1 : n;
    }

    static string FirstSentence(string message)
    {
        int i = message.IndexOf(" Path:", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message;
    }
}
