namespace LossLab.Notebooks.Formatting;

/// <summary>
/// The display API cells see (brought into scope with <c>using static</c>, as Polyglot does with
/// <c>Microsoft.DotNet.Interactive.Kernel</c>): <c>display(x)</c>, <c>x.Display()</c>, <c>"…".DisplayAs("text/markdown")</c>,
/// <c>HTML("…")</c>.
/// </summary>
public static class NotebookDisplay
{
    /// <summary>Shows <paramref name="value"/> as a display_data output, formatted as <paramref name="mimeTypes"/> (default:
    /// text/html and text/plain, or the type's preferred types).</summary>
    public static DisplayedValue display(object? value, params string[] mimeTypes) => Show(value, mimeTypes);

    /// <summary>Shows the value (see <see cref="display"/>).</summary>
    public static DisplayedValue Display(this object? value, params string[] mimeTypes) => Show(value, mimeTypes);

    /// <summary>Shows <paramref name="content"/> verbatim as <paramref name="mimeType"/> (e.g. text/markdown, text/html).</summary>
    public static DisplayedValue DisplayAs(this string content, string mimeType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mimeType);
        var bundle = new MimeBundle().Set(mimeType, content ?? "");
        var sink = DisplaySink.Current;
        return new DisplayedValue(sink, sink?.Add(bundle) ?? -1, [mimeType]);
    }

    /// <summary>Marks <paramref name="html"/> as HTML, displayed unchanged.</summary>
    public static HtmlString HTML(string html) => new(html ?? "");

    static DisplayedValue Show(object? value, string[] mimeTypes)
    {
        var bundle = Formatter.Format(value, mimeTypes ?? []);
        var sink = DisplaySink.Current;
        return new DisplayedValue(sink, sink?.Add(bundle) ?? -1, mimeTypes ?? []);
    }
}
