using System.Collections;
using LossLab.Experiments;
using Plotly.NET;

namespace LossLab.Notebooks.Formatting;

/// <summary>The formatters every notebook gets, tried after registered ones.</summary>
static class BuiltInFormatters
{
    internal static void RegisterMetadata() =>
        Formatter.RegisterMetadata(typeof(Claims), o => ClaimsFormatter.ToMetadata((Claims)o));

    internal static bool TryFormat(object value, string mimeType, TextWriter w)
    {
        if (TypeFormatterSourceFormatter.TryFormat(value, mimeType, w)) return true;
        return mimeType switch
        {
            Formatter.Html => TryHtml(value, w),
            Formatter.PlainText => WritePlain(value, w),
            Latex when value is Microsoft.DotNet.Interactive.Formatting.LaTeXString latex => Write(w, latex.ToString()),
            _ => false,
        };
    }

    const string Latex = "text/latex";

    static bool Write(TextWriter w, string text)
    {
        w.Write(text);
        return true;
    }

    /// <summary>The MIME types a value is shown as when neither the call nor a preference names any (as the kernel: LaTeX
    /// as text/latex, a PocketView as text/html); null for the defaults.</summary>
    internal static string[]? DefaultMimeTypesFor(object value) => value switch
    {
        Microsoft.DotNet.Interactive.Formatting.LaTeXString => [Latex],
        Microsoft.DotNet.Interactive.Formatting.PocketView => [Formatter.Html],
        _ => null,
    };

    /// <summary>True for values whose HTML is their own rather than the default tree and table markup.</summary>
    internal static bool HasOwnHtml(object value) =>
        value is Claims or GenericChart or HtmlString or Microsoft.DotNet.Interactive.Formatting.PocketView || DeedleFrameFormatter.IsFrame(value)
        || TypeFormatterSourceFormatter.Has(value.GetType());

    static bool TryHtml(object value, TextWriter w)
    {
        switch (value)
        {
            case Claims claims: w.Write(ClaimsFormatter.ToHtml(claims)); return true;
            case GenericChart chart: w.Write(PlotlyChartFormatter.ToHtml(chart)); return true;
            case HtmlString html: w.Write(html.Html); return true;
            case Microsoft.DotNet.Interactive.Formatting.PocketView view: w.Write(view.ToString()); return true;
            case Exception: return false;
            case var _ when DeedleFrameFormatter.IsFrame(value): DeedleFrameFormatter.WriteHtml(value, w); return true;
        }
        return InteractiveHtml.TryWrite(value, w);
    }

    static bool WritePlain(object value, TextWriter w)
    {
        switch (value)
        {
            case GenericChart: w.Write("Plotly.NET chart"); return true;
            case HtmlString html: w.Write(html.Html); return true;
            case var _ when DeedleFrameFormatter.IsFrame(value): w.Write(DeedleFrameFormatter.ToPlainText(value)); return true;
            case string s: w.Write(s); return true;
            case DateTime or DateTimeOffset: w.Write(InteractiveHtml.Plain(value)); return true;
            case IFormattable f: w.Write(f.ToString(null, System.Globalization.CultureInfo.InvariantCulture)); return true;
            case IEnumerable e when value.GetType().GetMethod("ToString", Type.EmptyTypes)?.DeclaringType == typeof(object):
                w.Write(InteractiveHtml.SequenceText(e.Cast<object?>().Select(x => x is null or string || HtmlTable.IsScalar(x.GetType()) ? x : (object)x.ToDisplayString())));
                return true;
        }
        w.Write(value.ToString());
        return true;
    }
}
