using System.Text;
using System.Text.Json.Nodes;
using LossLab.Notebooks.Documents;
using LossLab.Notebooks.Formatting;

namespace LossLab.Notebooks.Kernel;

/// <summary>Collects one cell's outputs in order: stdout and stderr text (merged into stream outputs) and displayed values.</summary>
sealed class CellOutputCollector : IDisplaySink
{
    readonly object gate = new();
    readonly List<JsonObject> displays = [];

    public CellOutputCollector()
    {
        Stdout = new StreamWriter(this, "stdout");
        Stderr = new StreamWriter(this, "stderr");
    }

    /// <summary>The outputs so far.</summary>
    public JsonArray Outputs { get; } = [];

    /// <summary>Called with each piece of stream text as it arrives (live logging), may be null.</summary>
    public Action<string, string>? OnStream { get; init; }

    public TextWriter Stdout { get; }

    public TextWriter Stderr { get; }

    public int Add(MimeBundle bundle)
    {
        lock (gate)
        {
            var output = CellOutputs.DisplayData(bundle.Data, bundle.Metadata?.DeepClone().AsObject());
            Outputs.Add(output);
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
        lock (gate) Outputs.Add(output);
    }

    void Write(string stream, string text)
    {
        lock (gate) CellOutputs.AppendStream(Outputs, stream, text);
        OnStream?.Invoke(stream, text);
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
