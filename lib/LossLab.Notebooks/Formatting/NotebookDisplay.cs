namespace LossLab.Notebooks.Formatting;

/// <summary>
/// The display extension methods cells see (brought into scope with <c>using static</c>): <c>x.Display()</c>,
/// <c>"…".DisplayAs("text/markdown")</c>; <c>display(x)</c> and <c>HTML("…")</c> are on <see cref="Microsoft.DotNet.Interactive.Kernel"/>.
/// </summary>
public static class NotebookDisplay
{
    /// <summary>Shows the value (see <see cref="Microsoft.DotNet.Interactive.Kernel.display"/>).</summary>
    public static DisplayedValue Display(this object? value, params string[] mimeTypes) => Show(value, mimeTypes);

    /// <summary>Shows <paramref name="content"/> verbatim as <paramref name="mimeType"/> (e.g. text/markdown, text/html).</summary>
    public static DisplayedValue DisplayAs(this string content, string mimeType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mimeType);
        var bundle = new MimeBundle().Set(mimeType, content ?? "");
        var sink = DisplaySink.Current;
        return new DisplayedValue(sink, sink?.Add(bundle) ?? -1, [mimeType]);
    }

    internal static DisplayedValue Show(object? value, string[] mimeTypes)
    {
        var bundle = Formatter.Format(value, mimeTypes ?? []);
        var sink = DisplaySink.Current;
        return new DisplayedValue(sink, sink?.Add(bundle) ?? -1, mimeTypes ?? []);
    }
}
