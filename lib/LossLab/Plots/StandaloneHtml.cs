using System.Net;
using System.Text;
using Plotly.NET;

namespace LossLab.Plots;

/// <summary>Charts as self-contained HTML pages: plotly.js inlined (no CDN), readable offline.</summary>
public static class StandaloneHtml
{
    /// <summary>The chart's <c>&lt;div&gt;</c> and drawing script, without plotly.js (for pages that include it once).</summary>
    public static string Fragment(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var noReference = DisplayOptions.init(null, null, null, null, null, null, PlotlyJSReference: PlotlyJSReference.NoReference);
        return FigureJson.ChartHtml(Plotly.NET.Chart.withDisplayOptions(noReference).Invoke(chart));
    }

    /// <summary>A complete page: the chart with plotly.js inlined in the head.</summary>
    public static string ToHtml(GenericChart chart, string title = "LossLab chart")
    {
        ArgumentNullException.ThrowIfNull(title);
        var page = new StringBuilder(PlotlyJs.Source.Length + 16_384);
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .Append(WebUtility.HtmlEncode(title)).Append("</title>\n")
            .Append(PlotlyJs.InlineScriptTag).Append('\n')
            .Append("</head>\n<body>\n").Append(Fragment(chart)).Append("\n</body>\n</html>\n");
        return page.ToString();
    }

    /// <summary>Writes <see cref="ToHtml"/> to <paramref name="path"/> atomically (a temporary file in the same folder,
    /// then a rename), creating the folder if needed. Returns the full path.</summary>
    public static string Write(GenericChart chart, string path, string title = "LossLab chart")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var html = ToHtml(chart, title);
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, html, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return full;
    }
}
