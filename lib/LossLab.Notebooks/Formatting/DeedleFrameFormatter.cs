using System.Collections;
using System.Globalization;
using Deedle;

namespace LossLab.Notebooks.Formatting;

/// <summary>Deedle frames as HTML tables (row keys, then one column per column key), cut at
/// <see cref="Formatter.ListExpansionLimit"/> rows; text/plain is Deedle's own <c>Format()</c>.</summary>
public static class DeedleFrameFormatter
{
    /// <summary>True for any <c>Frame&lt;R, C&gt;</c>.</summary>
    public static bool IsFrame(object value) => value is IFrame;

    /// <summary>Writes the frame as an HTML table.</summary>
    public static void WriteHtml(object frame, TextWriter w)
    {
        var data = (FrameData)frame.GetType().GetMethod("GetFrameData")!.Invoke(frame, null)!;
        var rowKeys = data.RowKeys.Select(Key).ToList();
        var columnKeys = data.ColumnKeys.Select(Key).ToList();
        var columns = data.Columns.Select(c => c.Item2.ObjectSequence.ToList()).ToList();
        int shown = Math.Min(rowKeys.Count, Formatter.ListExpansionLimit);
        w.Write("<table class=\"deedle-frame\"><thead><tr><th></th>");
        foreach (var c in columnKeys) w.Write($"<th>{HtmlTable.Escape(c)}</th>");
        w.Write("</tr></thead><tbody>");
        for (int r = 0; r < shown; r++)
        {
            w.Write($"<tr><th>{HtmlTable.Escape(rowKeys[r])}</th>");
            foreach (var col in columns) w.Write($"<td>{HtmlTable.Escape(Value(col[r]))}</td>");
            w.Write("</tr>");
        }
        if (rowKeys.Count > shown) w.Write($"<tr><td colspan=\"{columnKeys.Count + 1}\"><i>… ({rowKeys.Count - shown} more rows)</i></td></tr>");
        w.Write("</tbody></table>");
    }

    /// <summary>Deedle's own text rendering.</summary>
    public static string ToPlainText(object frame) =>
        frame.GetType().GetMethod("Format", Type.EmptyTypes)?.Invoke(frame, null) as string ?? frame.ToString() ?? "";

    static string Key(object[] parts) => string.Join(", ", parts.Select(p => Value(p)));

    static string Value(object? v) => v switch
    {
        null => "",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        string s => s,
        IEnumerable e => string.Join(", ", e.Cast<object?>().Select(Value)),
        _ => v.ToString() ?? "",
    };
}
