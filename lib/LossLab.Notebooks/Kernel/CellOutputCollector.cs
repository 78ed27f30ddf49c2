using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LossLab.Notebooks.Documents;
using LossLab.Notebooks.Formatting;

namespace LossLab.Notebooks.Kernel;

/// <summary>A stream output too long for the notebook: its whole text went to <paramref name="Path"/> (a file beside the
/// executed notebook, named relative to it in <paramref name="File"/>); the notebook keeps its head and tail.</summary>
public sealed record StreamSpill(string Name, string File, string Path, long Characters, long Lines);

/// <summary>Collects one cell's outputs in order: stdout and stderr text (merged into stream outputs) and displayed values.
/// Stream text is appended to a buffer (time linear in its size); past <see cref="StreamLimit"/> characters a stream output
/// keeps its head and tail in memory and writes the whole text to a side file, so memory stays bounded at any volume.</summary>
sealed class CellOutputCollector : IDisplaySink
{
    readonly object gate = new();
    readonly List<object> entries = [];   // JsonObject (display, result, error) or StreamCapture, in order
    readonly List<JsonObject> displays = [];
    readonly List<StreamSpill> spills = [];

    public CellOutputCollector()
    {
        Stdout = new StreamWriter(this, "stdout");
        Stderr = new StreamWriter(this, "stderr");
    }

    /// <summary>Called with each piece of stream text as it arrives (live logging), may be null.</summary>
    public Action<string, string>? OnStream { get; init; }

    /// <summary>Characters a stream output may hold in the notebook; past it, head and tail are kept (half each) and the
    /// whole text goes to a side file.</summary>
    public long StreamLimit { get; init; } = CSharpKernel.DefaultStreamLimit;

    /// <summary>The side files' path without extension (<c>out/nb.cell3</c>): a spilled stream goes to
    /// <c>{prefix}.stdout.txt</c> (then <c>.2.txt</c>, … for later stdout outputs of the same cell).</summary>
    public string SideFilePrefix { get; init; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "losslab-cell");

    public TextWriter Stdout { get; }

    public TextWriter Stderr { get; }

    /// <summary>The streams that went to side files.</summary>
    public IReadOnlyList<StreamSpill> Spills => spills;

    /// <summary>The outputs so far, as nbformat objects (stream outputs closed: their side files are complete).</summary>
    public JsonArray Complete()
    {
        lock (gate)
        {
            var outputs = new JsonArray();
            foreach (var entry in entries)
            {
                if (entry is JsonObject o) { o.Parent?.AsArray().Remove(o); outputs.Add(o); }
                else
                {
                    var capture = (StreamCapture)entry;
                    if (capture.Finish() is { } spill) spills.Add(spill);
                    outputs.Add(CellOutputs.Stream(capture.Name, capture.NotebookText()));
                }
            }
            entries.Clear();
            foreach (var o in outputs) entries.Add(o!.AsObject());
            return outputs;
        }
    }

    public int Add(MimeBundle bundle)
    {
        lock (gate)
        {
            var output = CellOutputs.DisplayData(bundle.Data, bundle.Metadata?.DeepClone().AsObject());
            entries.Add(output);
            displays.Add(output);
            return displays.Count - 1;
        }
    }

    public void Replace(int handle, MimeBundle bundle)
    {
        lock (gate)
        {
            if (handle < 0 || handle >= displays.Count) return;
            var fresh = CellOutputs.DisplayData(bundle.Data, bundle.Metadata?.DeepClone().AsObject());
            var old = displays[handle];
            old["data"] = fresh["data"]!.DeepClone();
            old["metadata"] = fresh["metadata"]!.DeepClone();
        }
    }

    public void AddRaw(JsonObject output)
    {
        lock (gate) entries.Add(output);
    }

    void Write(string stream, string text)
    {
        if (text.Length == 0) return;
        lock (gate)
        {
            if (entries.Count == 0 || entries[^1] is not StreamCapture last || last.Name != stream)
            {
                int number = 1 + entries.Count(e => e is StreamCapture c && c.Name == stream);
                var file = number == 1 ? $"{SideFilePrefix}.{stream}.txt" : $"{SideFilePrefix}.{stream}.{number.ToString(CultureInfo.InvariantCulture)}.txt";
                last = new StreamCapture(stream, StreamLimit, file);
                entries.Add(last);
            }
            last.Append(text);
        }
        OnStream?.Invoke(stream, text);
    }

    /// <summary>One stream output being written: all of it in memory up to the limit; past it, the head and a sliding tail
    /// in memory and the whole text in a side file (written to a temporary name, renamed when the cell ends).</summary>
    sealed class StreamCapture(string name, long limit, string path)
    {
        readonly StringBuilder head = new();
        readonly StringBuilder tail = new();
        readonly long half = Math.Max(1, limit / 2);
        System.IO.StreamWriter? file;
        string? temp;
        long characters, lines;

        public string Name { get; } = name;

        public void Append(string text)
        {
            characters += text.Length;
            foreach (var ch in text.AsSpan()) if (ch == '\n') lines++;
            if (file is null)
            {
                head.Append(text);
                if (head.Length <= limit) return;
                // Past the limit: the whole text so far starts the side file; memory keeps the head and the tail.
                temp = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!,
                    $".{System.IO.Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(temp)!);
                file = new System.IO.StreamWriter(temp, false, new UTF8Encoding(false), 1 << 16);
                foreach (var chunk in head.GetChunks()) file.Write(chunk.Span);
                tail.Append(head, (int)(head.Length - half), (int)half);
                head.Length = (int)half;
                return;
            }
            file.Write(text);
            tail.Append(text);
            if (tail.Length > 2 * half) tail.Remove(0, (int)(tail.Length - half));
        }

        /// <summary>Closes the side file (renamed to its final name); returns it, or null when the stream fit.</summary>
        public StreamSpill? Finish()
        {
            if (file is null) return null;
            file.Dispose();
            file = null;
            File.Move(temp!, path, overwrite: true);
            if (tail.Length > half) tail.Remove(0, (int)(tail.Length - half));
            spilled = new StreamSpill(Name, System.IO.Path.GetFileName(path), System.IO.Path.GetFullPath(path), characters, lines);
            return spilled;
        }

        StreamSpill? spilled;

        /// <summary>The text the notebook keeps: all of it, or head, a note naming the side file, and tail.</summary>
        public string NotebookText()
        {
            if (spilled is null) return head.ToString();
            var headText = head.ToString();
            var tailText = tail.ToString();
            long omitted = characters - headText.Length - tailText.Length;
            var note = $"{(headText.EndsWith('\n') ? "" : "\n")}[losslab: {omitted.ToString("N0", CultureInfo.InvariantCulture)} characters of {Name} omitted here " +
                       $"({characters.ToString("N0", CultureInfo.InvariantCulture)} characters, {lines.ToString("N0", CultureInfo.InvariantCulture)} lines in all); " +
                       $"the whole stream is in {spilled.File}, beside this notebook]\n";
            return headText + note + tailText;
        }
    }

    sealed class StreamWriter(CellOutputCollector owner, string stream) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value) => owner.Write(stream, value.ToString());
        public override void Write(string? value) { if (!string.IsNullOrEmpty(value)) owner.Write(stream, value); }
        public override void Write(char[] buffer, int index, int count) => owner.Write(stream, new string(buffer, index, count));
        public override void WriteLine(string? value) => owner.Write(stream, (value ?? "") + "\n");
        public override void WriteLine() => owner.Write(stream, "\n");
    }
}
