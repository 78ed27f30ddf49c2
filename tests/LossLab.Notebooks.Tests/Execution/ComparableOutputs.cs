using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LossLab.Notebooks.Documents;

namespace LossLab.Notebooks.Tests.Execution;

/// <summary>
/// A notebook's code-cell outputs as text that two runs with the same seed must reproduce exactly, with timings masked:
/// numbers with a time unit or a × (speed ratios), record members and table columns named for time, and the claims
/// about wall-clock cost. Everything else (every number of every table, text and claim record) is kept.
/// </summary>
static partial class ComparableOutputs
{
    static readonly JsonSerializerOptions Plain = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [GeneratedRegex(@"(?<![\w.])-?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?\s*(?:ms|s|min|µs|×)(?![A-Za-z])")]
    private static partial Regex TimedNumber();

    [GeneratedRegex(@"\b(\w*(?:Seconds|Time|Ms|PerStep)\w*) = [^,}\]]+")]
    private static partial Regex TimedMember();

    [GeneratedRegex(@"(?i)time|second|speed|\bms\b|per ?step|wall")]
    private static partial Regex TimedHeader();

    [GeneratedRegex(@"(?i)wall-clock|\btime\b|slower|faster|speed|cost")]
    private static partial Regex TimedClaim();

    [GeneratedRegex(@"slowest(?: method)?:? \S+")]
    private static partial Regex SlowestMethod();

    [GeneratedRegex(@"<table.*?</table>", RegexOptions.Singleline)]
    private static partial Regex Table();

    // A member of an object shown as the kernel's key/value tree: <tr><td>Seconds</td><td><div class="dni-plaintext"><pre>0.52</pre></div></td></tr>
    [GeneratedRegex(@"(<tr><td>([^<]*)</td><td><div class=""dni-plaintext""><pre>)[^<]*(</pre></div></td></tr>)")]
    private static partial Regex KeyValueRow();

    [GeneratedRegex(@"<th[^>]*>(.*?)</th>", RegexOptions.Singleline)]
    private static partial Regex HeaderCell();

    [GeneratedRegex(@"<tr>(?:(?!</tr>).)*?<td.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex BodyRow();

    [GeneratedRegex(@"<td[^>]*>.*?</td>", RegexOptions.Singleline)]
    private static partial Regex DataCell();

    /// <summary>One entry per code cell: its outputs, normalised.</summary>
    public static List<string> Of(string notebookPath)
    {
        var nb = JsonNode.Parse(File.ReadAllText(notebookPath))!;
        var cells = new List<string>();
        foreach (var cell in nb["cells"]!.AsArray())
        {
            if (cell?["cell_type"]?.GetValue<string>() != "code") continue;
            var parts = new List<string>();
            foreach (var output in cell["outputs"]?.AsArray() ?? [])
            {
                if (output is null) continue;
                var kind = output["output_type"]!.GetValue<string>();
                if (output["metadata"]?["losslab"]?["claims"] is JsonArray claims)
                {
                    parts.Add("claims " + string.Join("\n", claims.Select(Claim)));
                    continue;
                }
                if (kind == "stream") parts.Add($"{output["name"]}: {Mask(JsonText.JoinLines(output["text"]))}");
                else if (kind == "error") parts.Add($"error {output["ename"]}: {output["evalue"]}");
                else if (output["data"] is JsonObject data)
                    foreach (var (mime, value) in data.OrderBy(p => p.Key, StringComparer.Ordinal))
                        parts.Add($"{kind} {mime}: {Mask(JsonText.JoinLines(value))}");
            }
            cells.Add(string.Join("\n", parts));
        }
        return cells;
    }

    static string Claim(JsonNode? claim)
    {
        var text = claim!.ToJsonString(Plain);
        var about = $"{claim["claim"]} {claim["expected"]}";
        return TimedClaim().IsMatch(about) ? $"{claim["id"]}: a claim about time (masked)" : Mask(text);
    }

    internal static string Mask(string text)
    {
        text = SlowestMethod().Replace(text, "slowest method #t");
        text = KeyValueRow().Replace(text, m => TimedHeader().IsMatch(m.Groups[2].Value) ? m.Groups[1].Value + "#t" + m.Groups[3].Value : m.Value);
        text = Table().Replace(text, m => MaskTimedColumns(m.Value));
        text = TimedMember().Replace(text, m => m.Groups[1].Value + " = #t");
        return TimedNumber().Replace(text, "#t");
    }

    static string MaskTimedColumns(string table)
    {
        var headers = HeaderCell().Matches(table).Select(m => m.Groups[1].Value).ToList();
        var timed = Enumerable.Range(0, headers.Count).Where(i => TimedHeader().IsMatch(headers[i])).ToHashSet();
        if (timed.Count == 0) return table;
        return BodyRow().Replace(table, row =>
        {
            var cells = DataCell().Matches(row.Value).Select(m => m.Value).ToList();
            // a row may start with a <th> index column, counted among the headers
            int offset = headers.Count - cells.Count;
            for (int i = 0; i < cells.Count; i++) if (timed.Contains(i + offset)) cells[i] = "<td>#t</td>";
            return "<tr>" + string.Concat(cells) + "</tr>";
        });
    }
}
