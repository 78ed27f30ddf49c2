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

    /// <summary>Called with (handle, display_data output, is an update) as a cell displays or updates a value (live
    /// front ends such as the Jupyter kernel), may be null.</summary>
    public Action<int, JsonObject, bool>? OnDisplay { get; init; }

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
            OnDisplay?.Invoke(displays.Count - 1, output, false);
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
            OnDisplay?.Invoke(handle, fresh, true);
        }
    }

    public void AddRaw(JsonObject output)
    {
        lock (gate) entries.Add(output);
    }

    void Write(string stream, ReadOnlySpan<char> text, bool newLine = false)
    {
        if (text.Length == 0 && !newLine) return;
        lock (gate)
        {
            if (entries.Count == 0 || entries[^1] is not StreamCapture last || last.Name != stream)
            {
                int number = 1 + entries.Count(e => e is StreamCapture c && c.Name == stream);
                var file = number == 1 ? $"{SideFilePrefix}.{stream}.txt" : $"{SideFilePrefix}.{stream}.{number.ToString(CultureInfo.InvariantCulture)}.txt";
                last = new StreamCapture(stream, StreamLimit, file);
                entries.Add(last);
            }
            last.Append(text, newLine);
        }
        if (OnStream is { } onStream) onStream(stream, newLine ? string.Concat(text, "\n") : text.ToString());
    }

    /// <summary>One stream output being written: all of it in memory up to the limit; past it, the head in memory and the
    /// whole text in a side file (written to a temporary name, renamed when the cell ends), whose last characters become the
    /// tail the notebook keeps. Past the limit a write costs what writing it to a file costs.</summary>
    internal sealed class StreamCapture(string name, long limit, string path)
    {
        static readonly UTF8Encoding Utf8 = new(false);
        readonly StringBuilder head = new();
        readonly int half = (int)Math.Clamp(limit / 2, 1, int.MaxValue / 4);
        System.IO.StreamWriter? file;
        string? temp;
        string tail = "";
        long characters, lines;
        StreamSpill? spilled;

        public string Name { get; } = name;

        public void Append(ReadOnlySpan<char> text, bool newLine)
        {
            characters += text.Length + (newLine ? 1 : 0);
            lines += text.Count('\n') + (newLine ? 1 : 0);
            if (file is not null)
            {
                file.Write(text);
                if (newLine) file.Write('\n');
                return;
            }
            head.Append(text);
            if (newLine) head.Append('\n');
            if (head.Length <= limit) return;
            // Past the limit: the whole text so far starts the side file; memory keeps the head.
            temp = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!,
                $".{System.IO.Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(temp)!);
            file = new System.IO.StreamWriter(temp, false, Utf8, 1 << 16);
            foreach (var chunk in head.GetChunks()) file.Write(chunk.Span);
            head.Length = char.IsHighSurrogate(head[half - 1]) ? half - 1 : half;
        }

        /// <summary>Closes the side file (renamed to its final name) and reads the tail back from it; returns the file, or
        /// null when the stream fit.</summary>
        public StreamSpill? Finish()
        {
            if (file is null) return spilled;
            file.Dispose();
            file = null;
            tail = LastCharacters(temp!, half);
            File.Move(temp!, path, overwrite: true);
            spilled = new StreamSpill(Name, System.IO.Path.GetFileName(path), System.IO.Path.GetFullPath(path), characters, lines);
            return spilled;
        }

        /// <summary>The last <paramref name="count"/> characters of a UTF-8 file (fewer when it is shorter), read from the
        /// end: <paramref name="count"/> bytes first (enough for ASCII), more while multi-byte characters leave it short,
        /// each read started at a character boundary and never splitting a surrogate pair.</summary>
        internal static string LastCharacters(string file, int count)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            long take = Math.Min(stream.Length, (long)count + 3);
            while (true)
            {
                var bytes = new byte[take];
                stream.Seek(-take, SeekOrigin.End);
                stream.ReadExactly(bytes);
                int from = 0;
                while (from < bytes.Length && (bytes[from] & 0xC0) == 0x80) from++;   // a continuation byte: not a boundary
                var text = Utf8.GetString(bytes, from, bytes.Length - from);
                if (text.Length >= count)
                {
                    int cut = text.Length - count;
                    return text[(char.IsLowSurrogate(text[cut]) ? cut + 1 : cut)..];
                }
                if (take == stream.Length) return text;
                take = Math.Min(stream.Length, take + 4L * (count - text.Length) + 3);
            }
        }

        /// <summary>The text the notebook keeps: all of it, or head, a note naming the side file, and tail.</summary>
        public string NotebookText()
        {
            if (spilled is null) return head.ToString();
            var headText = head.ToString();
            long omitted = characters - headText.Length - tail.Length;
            var note = $"{(headText.EndsWith('\n') ? "" : "\n")}[losslab: {omitted.ToString("N0", CultureInfo.InvariantCulture)} characters of {Name} omitted here " +
                       $"({characters.ToString("N0", CultureInfo.InvariantCulture)} characters, {lines.ToString("N0", CultureInfo.InvariantCulture)} lines in all); " +
                       $"the whole stream is in {spilled.File}, beside this notebook]\n";
            return string.Concat(headText, note, tail);
        }
    }

    sealed class StreamWriter(CellOutputCollector owner, string stream) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value) => owner.Write(stream, new ReadOnlySpan<char>(in value));
        public override void Write(string? value) => owner.Write(stream, value);
        public override void Write(char[] buffer, int index, int count) => owner.Write(stream, buffer.AsSpan(index, count));
        public override void Write(ReadOnlySpan<char> buffer) => owner.Write(stream, buffer);
        public override void WriteLine(string? value) => owner.Write(stream, value, newLine: true);
        public override void WriteLine(ReadOnlySpan<char> buffer) => owner.Write(stream, buffer, newLine: true);
        public override void WriteLine() => owner.Write(stream, "", newLine: true);
    }
}
