using System.Text;
using LossLab.Notebooks.Formatting;

namespace Microsoft.DotNet.Interactive.Formatting;

/// <summary><c>rows.DisplayTable()</c> as in .NET Interactive: one display output holding the rows as text/csv (a header of
/// the public properties, then one line per row) and as an HTML table of the same columns.</summary>
public static class TabularDisplay
{
    /// <summary>Displays <paramref name="rows"/> as a table; returns the updatable display.</summary>
    public static DisplayedValue DisplayTable<T>(this IEnumerable<T> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.ToList();
        var columns = HtmlTable.Properties(typeof(T));
        var csv = new StringBuilder();
        csv.Append(string.Join(",", columns.Select(c => Csv(c.Name)))).Append('\n');
        var html = new StringBuilder("<table><thead><tr>");
        foreach (var c in columns) html.Append("<td><span>").Append(HtmlTable.Escape(c.Name)).Append("</span></td>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in list)
        {
            var values = columns.Select(c => row is null ? null : c.GetValue(row)).ToList();
            csv.Append(string.Join(",", values.Select(v => Csv(InteractiveHtml.Plain(v))))).Append('\n');
            html.Append("<tr>");
            foreach (var v in values)
                html.Append("<td>").Append(v is string s ? HtmlTable.Escape(s) : $"<div class=\"dni-plaintext\"><pre>{HtmlTable.Escape(InteractiveHtml.Plain(v))}</pre></div>").Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>").Append(InteractiveHtml.Style);
        var bundle = new MimeBundle().Set("text/csv", csv.ToString()).Set(LossLab.Notebooks.Formatting.Formatter.Html, html.ToString());
        var sink = DisplaySink.Current;
        return new DisplayedValue(sink, sink?.Add(bundle) ?? -1, ["text/csv", LossLab.Notebooks.Formatting.Formatter.Html]);
    }

    static string Csv(string text) => text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
}
