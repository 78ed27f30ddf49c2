using System.Text.Json.Nodes;

namespace LossLab.Notebooks.Site;

/// <summary>One claim as recorded in a claims cell's output metadata (<c>metadata.losslab.claims</c>).</summary>
public sealed record SiteClaim(string Id, string Paper, string Claim, string Expected, string Observed, string Verdict,
    string Scale, IReadOnlyDictionary<string, double> Values)
{
    /// <summary>effect, agreement or check ("" in records before version 2).</summary>
    public string Kind { get; init; } = "";
    /// <summary>The estimate with its interval ("—" when the record has no test).</summary>
    public string Estimate { get; init; } = "—";
    /// <summary>The number of replicates ("—" when the record has no test).</summary>
    public string N { get; init; } = "—";
    /// <summary>The threshold with its direction, or the agreement's tolerance ("—" when absent).</summary>
    public string Threshold { get; init; } = "—";
    /// <summary>Why the claim is not run or inconclusive, when recorded.</summary>
    public string Reason { get; init; } = "";
    /// <summary>The test's estimate, interval, replicates, direction and threshold as numbers (null without a test).</summary>
    public double? TestEstimate { get; init; }
    public double? TestLower { get; init; }
    public double? TestUpper { get; init; }
    public int? TestN { get; init; }
    public string? TestDirection { get; init; }
    public double? TestThreshold { get; init; }
}

/// <summary>An executed notebook as the site sees it: where it sits, what it is called, how its run went, its claims.</summary>
public sealed partial class SiteNotebook
{
    // A full stop that ends a sentence: not after "al", "e.g", "i.e", "cf" or "vs", and followed by a capital.
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<!\b(?:al|e\.g|i\.e|cf|vs|Fig|Eq))\.(?=\s+[A-Z(])")]
    private static partial System.Text.RegularExpressions.Regex SentenceEnd();

    SiteNotebook(string relativePath, JsonObject json)
    {
        RelativePath = relativePath.Replace('\\', '/');
        Json = json;
        var parts = RelativePath.Split('/');
        Cluster = parts.Length > 1 ? parts[0] : "";
        Name = Path.GetFileNameWithoutExtension(parts[^1]);
        Cells = json["cells"] as JsonArray ?? [];
        (Title, Summary) = ReadTitleAndSummary(Cells, Name);
        Claims = ReadClaims(Cells);
        Status = ReadStatus(json, Cells);
    }

    /// <summary>The path below the executed-notebooks folder, with forward slashes (e.g. <c>imbalance/ldam-drw.ipynb</c>).</summary>
    public string RelativePath { get; }

    /// <summary>The first folder of <see cref="RelativePath"/>: the paper cluster ("" for a notebook at the top).</summary>
    public string Cluster { get; }

    /// <summary>The file name without extension.</summary>
    public string Name { get; }

    /// <summary>The first level-one heading of the first markdown cell, else the file name.</summary>
    public string Title { get; }

    /// <summary>The first paragraph of prose after the title, as plain text, at most one sentence or 200 characters.</summary>
    public string Summary { get; }

    /// <summary>completed, failed, incomplete (a run that stopped mid-way) or not executed.</summary>
    public string Status { get; }

    /// <summary>The claims recorded by the notebook's claims cell, in order.</summary>
    public IReadOnlyList<SiteClaim> Claims { get; }

    /// <summary>The notebook's cells.</summary>
    public JsonArray Cells { get; }

    /// <summary>The whole notebook.</summary>
    public JsonObject Json { get; }

    /// <summary>The page's path below the site root (<c>imbalance/ldam-drw.html</c>).</summary>
    public string PagePath => Path.ChangeExtension(RelativePath, ".html");

    /// <summary>Reads an executed .ipynb file.</summary>
    /// <exception cref="InvalidDataException">The file is not a notebook; the message names the file.</exception>
    public static SiteNotebook Load(string path, string relativePath)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e); }
        if (node is not JsonObject obj || obj["cells"] is not JsonArray)
            throw new InvalidDataException($"{path}: not a notebook (no 'cells' array).");
        return new SiteNotebook(relativePath, obj);
    }

    /// <summary>The source text of a cell (joined line array or string).</summary>
    public static string SourceOf(JsonNode? cell) => TextOf(cell?["source"]);

    /// <summary>Joins a Jupyter multi-line string (a string or an array of lines).</summary>
    public static string TextOf(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    /// <summary>The tags of a cell.</summary>
    public static IReadOnlyList<string> TagsOf(JsonNode? cell) =>
        (cell?["metadata"]?["tags"] as JsonArray)?.Select(t => t?.GetValue<string>() ?? "").ToList() ?? [];

    static (string, string) ReadTitleAndSummary(JsonArray cells, string fallback)
    {
        var first = cells.FirstOrDefault(c => c?["cell_type"]?.GetValue<string>() == "markdown");
        if (first is null) return (fallback, "");
        var lines = SourceOf(first).Replace("\r", "").Split('\n');
        string title = fallback;
        int i = 0;
        for (; i < lines.Length; i++)
        {
            var l = lines[i].Trim();
            if (l.Length == 0) continue;
            if (l.StartsWith("# ")) { title = l[2..].Trim(); i++; }
            break;
        }
        // Top-level paragraphs after the title (list items and quotes aside); one that opens with a bold lead-in
        // ("**Papers.** …") is a section, not the summary.
        var restText = string.Join("\n", lines.Skip(i));
        var rest = Markdig.Markdown.Parse(restText);
        string Text(Markdig.Syntax.ParagraphBlock p) =>
            string.Join(" ", restText.Substring(p.Span.Start, p.Span.Length).Split('\n').Select(l => l.Trim()));
        var chosen = rest.OfType<Markdig.Syntax.ParagraphBlock>().Select(Text).FirstOrDefault(p => p.Length > 0 && !p.StartsWith("**", StringComparison.Ordinal))
                     ?? rest.OfType<Markdig.Syntax.ListBlock>().SelectMany(l => Markdig.Syntax.MarkdownObjectExtensions.Descendants<Markdig.Syntax.ParagraphBlock>(l)).Select(Text).FirstOrDefault()
                     ?? "";
        var summary = PlainText(chosen);
        var end = SentenceEnd().Match(summary);
        if (end.Success && end.Index < 200) summary = summary[..(end.Index + 1)];
        else if (summary.Length > 200)
        {
            int space = summary.LastIndexOf(' ', 197);   // a paragraph without a space in its first 197 characters is cut there
            summary = summary[..(space > 0 ? space : 197)].TrimEnd(',', ';', ':') + " …";
        }
        return (PlainText(title), summary);
    }

    static string PlainText(string markdown)
    {
        var s = System.Text.RegularExpressions.Regex.Replace(markdown, @"\[([^\]]*)\]\([^)]*\)", "$1");
        return s.Replace("*", "").Replace("`", "");
    }

    static IReadOnlyList<SiteClaim> ReadClaims(JsonArray cells)
    {
        var claims = new List<SiteClaim>();
        foreach (var cell in cells)
        foreach (var output in cell?["outputs"] as JsonArray ?? [])
        {
            if (output?["metadata"]?["losslab"]?["claims"] is not JsonArray list) continue;
            foreach (var c in list)
            {
                if (c is not JsonObject o) continue;
                var values = new Dictionary<string, double>();
                if (o["values"] is JsonObject vs)
                    foreach (var (k, v) in vs)
                        if (v is JsonValue jv && jv.TryGetValue<double>(out var d)) values[k] = d;
                var (estimate, n, threshold) = TestNumbers(o);
                claims.Add(new SiteClaim(Str(o, "id"), Str(o, "paper"), Str(o, "claim"), Str(o, "expected"), Str(o, "observed"),
                    Str(o, "verdict") is { Length: > 0 } v2 ? v2 : "not-run", Str(o, "scale"), values)
                {
                    Kind = Str(o, "kind"), Estimate = estimate, N = n, Threshold = threshold, Reason = Str(o, "reason"),
                    TestEstimate = Num(o["test"]?["estimate"]), TestLower = Num((o["test"]?["interval"] as JsonArray)?.ElementAtOrDefault(0)),
                    TestUpper = Num((o["test"]?["interval"] as JsonArray)?.ElementAtOrDefault(1)), TestThreshold = Num(o["test"]?["threshold"]),
                    TestN = o["test"]?["n"] is JsonValue tn && tn.TryGetValue<int>(out var nn) ? nn : null,
                    TestDirection = o["test"] is JsonObject to && to["direction"] is not null ? Str(to, "direction") : null,
                });
            }
        }
        return claims;
    }

    static double? Num(JsonNode? n) => n is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    static (string Estimate, string N, string Threshold) TestNumbers(JsonObject o)
    {
        static string G(JsonNode? n) => n is JsonValue v && v.TryGetValue<double>(out var d)
            ? d.ToString("G4", System.Globalization.CultureInfo.InvariantCulture) : "—";
        if (o["test"] is JsonObject t)
        {
            var iv = t["interval"] as JsonArray;
            return ($"{G(t["estimate"])} [{G(iv?.ElementAtOrDefault(0))}, {G(iv?.ElementAtOrDefault(1))}]",
                    t["n"] is JsonValue nv && nv.TryGetValue<int>(out var n) ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "—",
                    $"{Str(t, "direction")} {G(t["threshold"])}");
        }
        if (o["reference"] is not null)
        {
            bool relative = o["relative_error"] is not null;
            return ($"{G(o["values"]?["value"])} (ref. {G(o["reference"])})", "—", $"{(relative ? "rel." : "abs.")} error ≤ {G(o["tolerance"])}");
        }
        return ("—", "—", "—");
    }

    static string Str(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : o[key]?.ToJsonString() ?? "";

    static string ReadStatus(JsonObject nb, JsonArray cells)
    {
        if (nb["metadata"]?["papermill"] is not JsonObject pm) return "not executed";
        bool failed = pm["exception"] is JsonValue e && e.TryGetValue<bool>(out var ex) && ex;
        foreach (var cell in cells)
        {
            var status = cell?["metadata"]?["papermill"]?["status"] is JsonValue s && s.TryGetValue<string>(out var st) ? st : null;
            if (status == "failed") failed = true;
        }
        if (failed) return "failed";
        bool pending = cells.Any(c => c?["cell_type"]?.GetValue<string>() == "code"
            && (c["metadata"]?["papermill"]?["status"] is JsonValue s && s.TryGetValue<string>(out var st) && st is "pending" or "running"));
        if (pending || pm["end_time"] is null || pm["end_time"] is JsonValue ev && ev.GetValueKind() == System.Text.Json.JsonValueKind.Null)
            return "incomplete";
        return "completed";
    }
}
