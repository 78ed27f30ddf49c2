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
            _ => false,
        };
    }

    static bool TryHtml(object value, TextWriter w)
    {
        switch (value)
        {
            case Claims claims: w.Write(ClaimsFormatter.ToHtml(claims)); return true;
            case GenericChart chart: w.Write(PlotlyChartFormatter.ToHtml(chart)); return true;
            case HtmlString html: w.Write(html.Html); return true;
            case Exception: return false;
            case var _ when DeedleFrameFormatter.IsFrame(value): DeedleFrameFormatter.WriteHtml(value, w); return true;
            case string: return false;
            case IEnumerable e: HtmlTable.WriteSequence(e, w); return true;
        }
        var type = value.GetType();
        if (HtmlTable.IsScalar(type) || type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true) return false;
        if (HtmlTable.Properties(type).Count == 0) return false;
        HtmlTable.WriteObject(value, w);
        return true;
    }

    static bool WritePlain(object value, TextWriter w)
    {
        switch (value)
        {
            case GenericChart: w.Write("Plotly.NET chart"); return true;
            case HtmlString html: w.Write(html.Html); return true;
            case var _ when DeedleFrameFormatter.IsFrame(value): w.Write(DeedleFrameFormatter.ToPlainText(value)); return true;
            case string s: w.Write(s); return true;
            case IFormattable f: w.Write(f.ToString(null, System.Globalization.CultureInfo.InvariantCulture)); return true;
            case IEnumerable e when value.GetType().GetMethod("ToString", Type.EmptyTypes)?.DeclaringType == typeof(object):
                var items = e.Cast<object?>().Take(Formatter.ListExpansionLimit + 1).ToList();
                w.Write("[ ");
                w.Write(string.Join(", ", items.Take(Formatter.ListExpansionLimit).Select(x => x.ToDisplayString())));
                w.Write(items.Count > Formatter.ListExpansionLimit ? ", … ]" : " ]");
                return true;
        }
        w.Write(value.ToString());
        return true;
    }
}
