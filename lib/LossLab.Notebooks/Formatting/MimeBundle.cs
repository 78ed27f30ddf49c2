using System.Text.Json.Nodes;

namespace LossLab.Notebooks.Formatting;

/// <summary>One displayed value: its representations by MIME type (in preference order) and optional output metadata
/// (for the claims record, <c>{"losslab": {"claims": […]}}</c>).</summary>
public sealed class MimeBundle
{
    /// <summary>The representations, MIME type → text, in the order they were added.</summary>
    public List<KeyValuePair<string, string>> Data { get; } = [];

    /// <summary>Output metadata, or null.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>Adds or replaces the representation for <paramref name="mimeType"/>.</summary>
    public MimeBundle Set(string mimeType, string text)
    {
        int i = Data.FindIndex(p => p.Key == mimeType);
        if (i >= 0) Data[i] = new(mimeType, text);
        else Data.Add(new(mimeType, text));
        return this;
    }

    /// <summary>The text for <paramref name="mimeType"/>, or null.</summary>
    public string? this[string mimeType] => Data.FirstOrDefault(p => p.Key == mimeType).Value;
}
