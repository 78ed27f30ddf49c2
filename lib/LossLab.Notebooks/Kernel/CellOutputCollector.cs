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
    long version;

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

    /// <summary>Counts the changes to the outputs (text written, values displayed or updated), for autosave.</summary>
    public long Version { get { lock (gate) return version; } }

    /// <summary>A copy of the outputs so far, for saving while the cell runs (papermill's autosave of long cells): display
    /// outputs as they are now, each stream as much of its text as the notebook keeps; a stream already past the limit
    /// shows its head and a note that it goes on. The collector is unchanged.</summary>
    public JsonArray Snapshot(out long atVersion)
    {
        lock (gate)
        {
            atVersion = version;
            var outputs = new JsonArray();
            foreach (var entry in entries)
                outputs.Add(entry is JsonObject o ? o.DeepClone() : ((StreamCapture)entry).RunningOutput());
            return outputs;
        }
    }

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
                    outputs.Add(capture.NotebookOutput());
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
            version++;
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
            version++;
            OnDisplay?.Invoke(handle, fresh, true);
        }
    }

    public void AddRaw(JsonObject output)
    {
        lock (gate)
        {
            entries.Add(output);
            version++;
        }
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
            version++;
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

        /// <summary>What goes before a note after the head: nothing when the head ends its line, else a line break.</summary>
        string NoteBreak => head.Length > 0 && head[^1] == '\n' ? "" : "\n";

        /// <summary>The stream output as it stands while the cell runs: all of it, or, past the limit, the head and a note
        /// that the stream goes on (the side file gets its final name when the cell ends).</summary>
        public JsonObject RunningOutput()
        {
            if (file is null) return CellOutputs.Stream(Name, head.ToString());
            return CellOutputs.Stream(Name, head.ToString() + $"{NoteBreak}[losslab: the cell is still running; {characters.ToString("N0", CultureInfo.InvariantCulture)} characters of {Name} so far, " +
                $"the rest of the stream follows when it ends (the whole stream goes to {System.IO.Path.GetFileName(path)}, beside this notebook)]\n");
        }

        /// <summary>Closes the side file (renamed to its final name) and reads the tail back from it; returns the file, or
        /// null when the stream fit.</summary>
        public StreamSpill? Finish()
        {
            if (file is null) return spilled;
            file.Dispose();
            file = null;
            File.Move(temp!, path, overwrite: true);
            spilled = new StreamSpill(Name, System.IO.Path.GetFileName(path), System.IO.Path.GetFullPath(path), characters, lines);
            return spilled;
        }

        /// <summary>The last <paramref name="count"/> characters of a UTF-8 file (fewer when it is shorter).</summary>
        internal static string LastCharacters(string file, int count)
        {
            var text = new StringBuilder();
            ReadLastCharacters(file, count, chunk => text.Append(chunk));
            return text.ToString();
        }

        /// <summary>Feeds the last <paramref name="count"/> characters of a UTF-8 file (fewer when it is shorter) to
        /// <paramref name="sink"/> in pieces, without holding them in one string. Where they start is found from the end:
        /// <paramref name="count"/> bytes first (enough for ASCII), more while multi-byte characters leave it short, each
        /// start at a character boundary; the start never splits a surrogate pair.</summary>
        internal static void ReadLastCharacters(string file, int count, Action<ReadOnlySpan<char>> sink)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            var buffer = new byte[1 << 16];
            var chars = new char[Utf8.GetMaxCharCount(buffer.Length)];
            long take = Math.Min(stream.Length, (long)count + 3);
            long start;
            long available;
            while (true)
            {
                start = stream.Length - take;
                stream.Seek(start, SeekOrigin.Begin);
                int lead = stream.Read(buffer, 0, (int)Math.Min(4, take));
                int from = 0;
                while (from < lead && (buffer[from] & 0xC0) == 0x80) from++;   // a continuation byte: not a boundary
                start += from;
                available = Decode(stream, start, buffer, chars, skip: long.MaxValue, sink: null);
                if (available >= count || take == stream.Length) break;
                take = Math.Min(stream.Length, take + 4L * (count - available) + 3);
            }
            Decode(stream, start, buffer, chars, skip: Math.Max(0, available - count), sink);
        }

        /// <summary>Decodes the file from byte <paramref name="start"/> to its end in blocks; passes what follows the first
        /// <paramref name="skip"/> characters (one more when that would split a surrogate pair) to <paramref name="sink"/>;
        /// returns the number of characters decoded.</summary>
        static long Decode(FileStream stream, long start, byte[] buffer, char[] chars, long skip, Action<ReadOnlySpan<char>>? sink)
        {
            stream.Seek(start, SeekOrigin.Begin);
            var decoder = Utf8.GetDecoder();
            long seen = 0;
            bool first = true;
            while (true)
            {
                int read = stream.Read(buffer, 0, buffer.Length);
                int n = decoder.GetChars(buffer, 0, read, chars, 0, flush: read == 0);
                if (sink is not null && seen + n > skip)
                {
                    int at = (int)Math.Max(0, skip - seen);
                    if (first && at < n && char.IsLowSurrogate(chars[at])) at++;
                    first = false;
                    if (at < n) sink(chars.AsSpan(at, n - at));
                }
                seen += n;
                if (read == 0) return seen;
            }
        }

        /// <summary>The stream output the notebook keeps: all of it, or head, a note naming the side file, and tail (read
        /// back from the side file), split into lines as nbformat stores them without building the text in one string.</summary>
        public JsonObject NotebookOutput()
        {
            if (spilled is null) return CellOutputs.Stream(Name, head.ToString());
            var text = new JsonArray();
            var splitter = new LineSplitter(line => text.Add(line));
            foreach (var chunk in head.GetChunks()) splitter.Add(chunk.Span);
            long kept = head.Length;
            long tailCharacters = 0;
            var tailLines = new List<string>();
            var tailSplitter = new LineSplitter(tailLines.Add);
            ReadLastCharacters(spilled.Path, half, chunk => { tailCharacters += chunk.Length; tailSplitter.Add(chunk); });
            tailSplitter.Finish();
            long omitted = characters - kept - tailCharacters;
            splitter.Add($"{NoteBreak}[losslab: {omitted.ToString("N0", CultureInfo.InvariantCulture)} characters of {Name} omitted here " +
                         $"({characters.ToString("N0", CultureInfo.InvariantCulture)} characters, {lines.ToString("N0", CultureInfo.InvariantCulture)} lines in all); " +
                         $"the whole stream is in {spilled.File}, beside this notebook]\n");
            splitter.Finish();
            foreach (var line in tailLines) text.Add(line);
            return new JsonObject { ["name"] = Name, ["output_type"] = "stream", ["text"] = text };
        }
    }

    /// <summary>Splits text given in pieces into lines that keep their '\n', as <see cref="JsonText.SplitLines"/> splits
    /// the whole text.</summary>
    sealed class LineSplitter(Action<string> emit)
    {
        readonly StringBuilder partial = new();

        public void Add(ReadOnlySpan<char> text)
        {
            while (text.Length > 0)
            {
                int end = text.IndexOf('\n');
                if (end < 0) { partial.Append(text); return; }
                if (partial.Length == 0) emit(new string(text[..(end + 1)]));
                else { partial.Append(text[..(end + 1)]); emit(partial.ToString()); partial.Clear(); }
                text = text[(end + 1)..];
            }
        }

        public void Finish()
        {
            if (partial.Length > 0) emit(partial.ToString());
            partial.Clear();
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
