using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace LossLab.Notebooks.Site;

/// <summary>Renders one executed notebook as a page: markdown with math, highlighted and foldable code, every output,
/// a provenance box and download links. Outputs that are text (streams, text/plain, errors) are HTML-encoded, so
/// nothing a cell prints can run in the reader's browser; text/html outputs are the formatters' own markup.</summary>
internal static partial class NotebookPage
{
    static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder()
        .UseAdvancedExtensions().UseMathematics().DisableHtml().Build();

    [GeneratedRegex(@"\x1B\[[0-9;?]*[A-Za-z]")]
    private static partial Regex Ansi();

    internal static (string Html, bool HasPlotly) Render(SiteNotebook nb, bool hasSource)
    {
        var body = new StringBuilder();
        body.Append("<h1>").Append(SiteLayout.Encode(nb.Title)).Append("</h1>\n");
        body.Append(Provenance(nb, hasSource));
        bool plotly = false;
        bool folded = false;
        int index = 0;
        foreach (var cell in nb.Cells)
        {
            index++;
            var type = cell?["cell_type"]?.GetValue<string>();
            var source = SiteNotebook.SourceOf(cell);
            var tags = SiteNotebook.TagsOf(cell);
            // Jupyter Book's and Quarto's tags (and papermill's --report-mode, which sets jupyter.source_hidden): remove-cell
            // drops the cell, remove-input its code, remove-output its outputs; hide-input folds the code, hide-output the outputs.
            if (tags.Contains("remove-cell")) continue;
            if (type == "markdown")
            {
                // The title heading is already the page's <h1>.
                if (index == 1) source = Regex.Replace(source, @"^\s*#\s+[^\n]*\n?", "");
                body.Append("<div class=\"cell markdown\">").Append(RenderMarkdown(source)).Append("</div>\n");
                continue;
            }
            if (type != "code") continue;
            bool hideInput = tags.Contains("hide-input") || cell?["metadata"]?["jupyter"]?["source_hidden"] is JsonValue sh && sh.TryGetValue<bool>(out var h) && h;
            bool hideOutput = tags.Contains("hide-output") || cell?["metadata"]?["jupyter"]?["outputs_hidden"] is JsonValue oh && oh.TryGetValue<bool>(out var ho) && ho;
            bool setup = tags.Contains("setup") || (!folded && Regex.IsMatch(source, @"^\s*#r\s", RegexOptions.Multiline));
            if (setup) folded = true;
            var count = cell?["execution_count"] is JsonValue v && v.TryGetValue<int>(out var c) ? c.ToString() : " ";
            var firstLine = source.Replace("\r", "").Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";
            body.Append("<div class=\"cell code-cell\">");
            if (!tags.Contains("remove-input"))
            {
                body.Append("<details class=\"code\"").Append(setup || hideInput ? "" : " open").Append("><summary>In [").Append(count).Append("]");
                foreach (var t in tags) body.Append("<span class=\"tag\">").Append(SiteLayout.Encode(t)).Append("</span>");
                if (setup || hideInput) body.Append(" <span class=\"first-line\">").Append(SiteLayout.Encode(firstLine)).Append(" …</span>");
                body.Append("</summary><pre><code class=\"language-csharp\">").Append(CSharpHighlighter.ToHtml(source))
                    .Append("</code></pre></details>\n");
            }
            JsonArray outputs = tags.Contains("remove-output") ? [] : cell?["outputs"] as JsonArray ?? [];
            if (hideOutput && outputs.Count > 0) body.Append("<details class=\"outputs\"><summary>Output</summary>\n");
            foreach (var output in outputs)
            {
                var (html, usesPlotly) = RenderOutput(output);
                plotly |= usesPlotly;
                body.Append(html);
            }
            if (hideOutput && outputs.Count > 0) body.Append("</details>\n");
            foreach (var stream in cell?["metadata"]?["losslab"]?["streams"] as JsonArray ?? [])
            {
                var file = Path.GetFileName(stream?["file"]?.GetValue<string>() ?? "");
                if (file.Length == 0) continue;
                var chars = stream?["characters"] is JsonValue cv && cv.TryGetValue<long>(out var n) ? n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " characters" : "";
                body.Append("<div class=\"output stream-file\"><a href=\"").Append(SiteLayout.Encode(file)).Append("\">whole ")
                    .Append(SiteLayout.Encode(stream?["name"]?.GetValue<string>() ?? "stream")).Append(" (").Append(chars).Append("): ")
                    .Append(SiteLayout.Encode(file)).Append("</a></div>\n");
            }
            body.Append("</div>\n");
        }
        return (body.ToString(), plotly);
    }

    /// <summary>The side files (names beside the executed notebook) holding the whole text of the notebook's truncated streams.</summary>
    internal static IEnumerable<string> StreamFiles(SiteNotebook nb) =>
        nb.Cells.SelectMany(c => c?["metadata"]?["losslab"]?["streams"] as JsonArray ?? [])
            .Select(s => Path.GetFileName(s?["file"]?.GetValue<string>() ?? "")).Where(f => f.Length > 0);

    static string Provenance(SiteNotebook nb, bool hasSource)
    {
        var meta = nb.Json["metadata"];
        var pm = meta?["papermill"];
        var ll = meta?["losslab"];
        string Get(JsonNode? n, string key) => n?[key] switch
        {
            null => "—",
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
            var other => other.ToJsonString(),
        };
        var sb = new StringBuilder();
        sb.Append("<div class=\"provenance\"><dl>\n");
        void Row(string label, string value) =>
            sb.Append("<dt>").Append(label).Append("</dt><dd>").Append(SiteLayout.Encode(value)).Append("</dd>\n");
        sb.Append("<dt>status</dt><dd>").Append(SiteLayout.StatusBadge(nb.Status)).Append("</dd>\n");
        Row("started", Get(pm, "start_time"));
        if (ll?["cached"] is JsonObject cached)
            Row("cached", $"reused by the run of {Get(cached, "reused")}: its inputs were unchanged since this run of {Get(cached, "ran")}");
        Row("duration (s)", Get(pm, "duration"));
        var parameters = pm?["parameters"] as JsonObject;
        string scale = Get(ll, "scale");
        if (scale == "—" && parameters?["Scale"] is JsonValue sv && sv.TryGetValue<string>(out var s2)) scale = s2;
        Row("scale", scale);
        Row("device", Get(ll, "device"));
        if (ll?["runtime"] is JsonObject rt)
            Row("CPU", $"{Get(rt, "cpu")}; kernels {Get(rt, "aten_capability")} ({Get(rt, "cpu_mode")} mode); torch threads {Get(rt, "torch_threads")}; oneDNN convolutions {Get(rt, "onednn_convolutions")}");
        Row("parameters", parameters is { Count: > 0 } ? string.Join(", ", parameters.Select(p => $"{p.Key} = {p.Value?.ToJsonString()}")) : "defaults");
        Row("LossLab", $"{Get(ll, "version")} ({Get(ll, "commit")})");
        sb.Append("</dl>\n<div class=\"downloads\">");
        if (hasSource)
            sb.Append("<a href=\"").Append(SiteLayout.Encode(nb.Name)).Append(".source.ipynb\" download>source notebook</a>");
        sb.Append("<a href=\"").Append(SiteLayout.Encode(nb.Name)).Append(".ipynb\" download>executed notebook</a>");
        sb.Append("</div></div>\n");
        return sb.ToString();
    }

    internal static string RenderMarkdown(string source)
    {
        var doc = Markdig.Markdown.Parse(source, Markdown);
        foreach (var link in doc.Descendants<LinkInline>())
            if (link.Url is { } url && !url.Contains("://", StringComparison.Ordinal))
                link.Url = Regex.Replace(url, @"\.ipynb(?=$|#)", ".html");
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Markdown.Setup(renderer);
        renderer.Render(doc);
        writer.Flush();
        return writer.ToString();
    }

    static (string Html, bool Plotly) RenderOutput(JsonNode? output)
    {
        var type = output?["output_type"]?.GetValue<string>();
        switch (type)
        {
            case "stream":
                var name = output?["name"]?.GetValue<string>() == "stderr" ? "stderr" : "stdout";
                return ($"<div class=\"output\"><pre class=\"{name}\">{SiteLayout.Encode(Ansi().Replace(SiteNotebook.TextOf(output?["text"]), ""))}</pre></div>\n", false);
            case "error":
                var text = $"{output?["ename"]?.GetValue<string>()}: {output?["evalue"]?.GetValue<string>()}";
                var trace = string.Join("\n", (output?["traceback"] as JsonArray ?? []).Select(l => l?.GetValue<string>() ?? ""));
                if (trace.Length > 0 && !trace.Contains(text, StringComparison.Ordinal)) text += "\n" + trace;
                else if (trace.Length > 0) text = trace;
                return ($"<div class=\"output\"><pre class=\"error\">{SiteLayout.Encode(Ansi().Replace(text, ""))}</pre></div>\n", false);
            case "display_data" or "execute_result":
                var data = output?["data"] as JsonObject;
                if (data is null) return ("", false);
                if (data["text/html"] is { } html)
                {
                    // Site pages load plotly.js from assets/ before any chart, so a fragment's CDN fallback never runs:
                    // it is blanked so that no page names an address outside the site.
                    var markup = SiteNotebook.TextOf(html).Replace(Formatting.PlotlyChartFormatter.PlotlyJsCdn, "data:text/javascript,", StringComparison.Ordinal);
                    return ($"<div class=\"output html\">{markup}</div>\n", markup.Contains("Plotly.", StringComparison.Ordinal));
                }
                if (data["image/png"] is { } png)
                    return ($"<div class=\"output\"><img alt=\"output image\" src=\"data:image/png;base64,{SiteLayout.Encode(SiteNotebook.TextOf(png).Replace("\n", ""))}\"></div>\n", false);
                if (data["image/svg+xml"] is { } svg)
                {
                    var b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(SiteNotebook.TextOf(svg)));
                    return ($"<div class=\"output\"><img alt=\"output image\" src=\"data:image/svg+xml;base64,{b64}\"></div>\n", false);
                }
                if (data["text/markdown"] is { } md)
                    return ($"<div class=\"output markdown\">{RenderMarkdown(SiteNotebook.TextOf(md))}</div>\n", false);
                if (data["text/plain"] is { } plain)
                    return ($"<div class=\"output\"><pre>{SiteLayout.Encode(Ansi().Replace(SiteNotebook.TextOf(plain), ""))}</pre></div>\n", false);
                return ("", false);
            default:
                return ("", false);
        }
    }
}
