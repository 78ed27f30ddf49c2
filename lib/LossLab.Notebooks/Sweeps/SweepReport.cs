using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LossLab.Experiments;
using LossLab.Notebooks.Site;

namespace LossLab.Notebooks.Sweeps;

/// <summary>One row of a sweep's table: a point (its parameters and state), one claim of one of its notebooks, and the
/// values the notebook recorded with the claim (its declared metrics, e.g. each method's mean).</summary>
public sealed record SweepRow(SweepPoint Point, string State, ScoreboardEntry? Claim)
{
    public IReadOnlyDictionary<string, double> Values { get; init; } = new Dictionary<string, double>();
}

/// <summary>
/// A sweep's one result: <c>sweep.csv</c> and <c>sweep-table.json</c> (a row per point and claim: the point's index, name,
/// parameter values and state, the claim's notebook, id, verdict, estimate, interval and n, and the values the notebook
/// recorded with the claim, a column each; a point without results is a
/// row of its own, never dropped), <c>scoreboard.json</c> (every point's claims, the notebook named
/// <c>POINT/notebook</c>, for <c>losslab diff</c>) and <c>sweep.html</c> (the table, each point linked to its own site, and a Plotly chart of
/// one claim's estimate against one parameter, a line per value of the other varying parameters, seeds averaged with a
/// 95 % t-interval).
/// </summary>
public static class SweepReport
{
    /// <summary>The rows of a sweep, in point order.</summary>
    public static IReadOnlyList<SweepRow> Rows(SweepManifest manifest, Func<SweepPoint, string> state)
    {
        var rows = new List<SweepRow>();
        foreach (var point in manifest.Points)
        {
            // The point's executed notebooks, read once: its scoreboard's entries and the values recorded with each claim.
            var folder = manifest.PointFolder(point);
            var notebooks = Directory.Exists(folder) ? SiteRenderer.LoadExecuted(folder, Path.Combine(folder, "site")) : [];
            var entries = Scoreboard.From(notebooks).Entries;
            if (entries.Count == 0) { rows.Add(new SweepRow(point, state(point), null)); continue; }
            var values = notebooks.SelectMany(nb => nb.Claims.Select(c => (Key: $"{nb.RelativePath}/{c.Id}", c.Values)))
                .GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.First().Values);
            rows.AddRange(entries.Select(e => new SweepRow(point, state(point), e)
            {
                Values = values.TryGetValue(e.Key, out var v) ? v : new Dictionary<string, double>(),
            }));
        }
        return rows;
    }

    /// <summary>Writes sweep.csv, sweep.json and sweep.html into the sweep's folder; returns the page's path.
    /// <paramref name="metric"/> is a claim id (or notebook/id) to chart, default the first; <paramref name="by"/> the
    /// parameter on the x axis, default the first varying one that is not <paramref name="seeds"/>.</summary>
    public static string Write(SweepManifest manifest, IReadOnlyList<SweepRow> rows, string? metric = null, string? by = null, string? seeds = null)
    {
        var parameters = manifest.Points.SelectMany(p => p.Parameters.Select(kv => kv.Key)).Distinct().ToList();
        if (by is not null && !manifest.Varying.Contains(by)) throw new SweepException($"--by {by}: not a varying parameter of this sweep ({string.Join(", ", manifest.Varying)}).");
        if (seeds is not null && !manifest.Varying.Contains(seeds)) throw new SweepException($"--seeds {seeds}: not a varying parameter of this sweep ({string.Join(", ", manifest.Varying)}).");
        var claims = rows.Where(r => r.Claim is not null).Select(r => r.Claim!.Key).Distinct().ToList();
        var chosen = metric is null ? claims.FirstOrDefault()
            : claims.FirstOrDefault(k => k == metric) ?? claims.FirstOrDefault(k => k.EndsWith("/" + metric, StringComparison.Ordinal))
              ?? throw new SweepException($"--metric {metric}: no claim of that id in this sweep's results.");
        by ??= manifest.Varying.FirstOrDefault(v => v != seeds);

        var csv = new StringBuilder();
        var metrics = rows.SelectMany(r => r.Values.Keys).Distinct().ToList();
        var header = new[] { "index", "point", "state" }.Concat(parameters).Concat(["notebook", "claim", "verdict", "estimate", "lower", "upper", "n"]).Concat(metrics);
        csv.AppendLine(string.Join(",", header.Select(Csv)));
        var json = new JsonArray();
        foreach (var r in rows)
        {
            var values = parameters.Select(p => Text(r.Point.Parameters.FirstOrDefault(kv => kv.Key == p).Value)).ToList();
            var c = r.Claim;
            csv.AppendLine(string.Join(",", new[] { r.Point.Index.ToString(CultureInfo.InvariantCulture), r.Point.Name, r.State }.Concat(values)
                .Concat([c?.Notebook ?? "", c?.Id ?? "", c?.Verdict ?? "", Number(c?.Estimate), Number(c?.Lower), Number(c?.Upper), c?.N?.ToString(CultureInfo.InvariantCulture) ?? ""])
                .Concat(metrics.Select(m => r.Values.TryGetValue(m, out var x) ? x.ToString("R", CultureInfo.InvariantCulture) : "")).Select(Csv)));
            var row = new JsonObject { ["index"] = r.Point.Index, ["point"] = r.Point.Name, ["state"] = r.State };
            foreach (var (p, v) in parameters.Zip(values)) row[p] = v;
            row["notebook"] = c?.Notebook;
            row["claim"] = c?.Id;
            row["verdict"] = c?.Verdict;
            row["estimate"] = c?.Estimate;
            row["lower"] = c?.Lower;
            row["upper"] = c?.Upper;
            row["n"] = c?.N;
            if (r.Values.Count > 0) row["values"] = new JsonObject(r.Values.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value)));
            json.Add(row);
        }
        Training.AtomicFile.WriteAllText(Path.Combine(manifest.Directory, "sweep.csv"), csv.ToString());
        Training.AtomicFile.WriteAllText(Path.Combine(manifest.Directory, "sweep-table.json"), json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));

        // One scoreboard for the whole sweep (losslab diff compares two sweeps, or a sweep with a run): each entry's
        // notebook prefixed with its point's folder name.
        var boards = manifest.Points.Select(p => Path.Combine(manifest.PointFolder(p), "scoreboard.json")).Where(File.Exists).Select(Scoreboard.Load).ToList();
        if (boards.Count > 0)
            new Scoreboard
            {
                Ended = boards.Max(b => b.Ended), Commit = boards[0].Commit, Machine = boards[0].Machine,
                Entries = rows.Where(r => r.Claim is not null).Select(r => r.Claim! with { Notebook = $"{r.Point.Name}/{r.Claim!.Notebook}" }).ToList(),
            }.Save(manifest.Directory);

        var page = Path.Combine(manifest.Directory, "sweep.html");
        using (var plotly = SiteAssets.PlotlyJs())
            SiteAssets.WriteAtomically(Path.Combine(manifest.Directory, "plotly.min.js"), plotly);
        SiteAssets.WriteAtomically(page, Html(manifest, rows, claims, chosen, by, seeds));
        return page;
    }

    /// <summary>The chart's lines: for each combination of the varying parameters other than <paramref name="by"/> and
    /// <paramref name="seeds"/>, the estimate of <paramref name="claim"/> at each value of <paramref name="by"/> (in the
    /// sweep's order), averaged over the seeds with a 95 % t-interval (with one seed: that run's own interval).</summary>
    public static IReadOnlyList<(string Label, IReadOnlyList<(string X, double Y, double? Lower, double? Upper, int Runs)> Points)> Lines(
        SweepManifest manifest, IReadOnlyList<SweepRow> rows, string claim, string by, string? seeds)
    {
        var others = manifest.Varying.Where(v => v != by && v != seeds).ToList();
        string Value(SweepPoint p, string name) => Text(p.Parameters.First(kv => kv.Key == name).Value);
        var byOrder = manifest.Points.Select(p => Value(p, by)).Distinct().ToList();
        return rows.Where(r => r.Claim?.Key == claim && r.Claim.Estimate is not null)
            .GroupBy(r => string.Join(", ", others.Select(o => $"{o}={Value(r.Point, o)}")))
            .Select(line => (line.Key.Length == 0 ? claim : line.Key, (IReadOnlyList<(string, double, double?, double?, int)>)line
                .GroupBy(r => Value(r.Point, by)).OrderBy(g => byOrder.IndexOf(g.Key))
                .Select(g =>
                {
                    var ys = g.Select(r => r.Claim!.Estimate!.Value).ToList();
                    if (ys.Count == 1) return (g.Key, ys[0], g.First().Claim!.Lower, g.First().Claim!.Upper, 1);
                    var iv = ClaimStatistics.Mean(ys);
                    return (g.Key, iv.Estimate, (double?)iv.Lower, (double?)iv.Upper, ys.Count);
                }).ToList()))
            .ToList();
    }

    static string Html(SweepManifest manifest, IReadOnlyList<SweepRow> rows, IReadOnlyList<string> claims, string? chosen, string? by, string? seeds)
    {
        string E(string? s) => System.Net.WebUtility.HtmlEncode(s ?? "");
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sweep</title><script src=\"plotly.min.js\"></script>");
        html.Append("<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;font-size:90%}.held{color:#1a7f37}.failed{color:#cf222e}.inconclusive{color:#9a6700}</style></head><body>");
        var states = rows.GroupBy(r => r.Point.Index).Select(g => g.First().State).GroupBy(s => s).Select(g => $"{g.Count()} {g.Key}");
        html.Append(CultureInfo.InvariantCulture, $"<h1>Sweep: {manifest.Points.Count} points</h1><p>{E(string.Join(", ", states))}; notebooks: {E(string.Join(", ", manifest.Notebooks.Select(Path.GetFileName)))}; scale {E(manifest.Scale ?? "(the notebooks' own)")}. Table as <a href=\"sweep.csv\">CSV</a> and <a href=\"sweep-table.json\">JSON</a>.</p>");
        if (chosen is not null && by is not null)
        {
            var traces = new JsonArray();
            foreach (var (label, points) in Lines(manifest, rows, chosen, by, seeds))
            {
                var x = new JsonArray(points.Select(p => (JsonNode)JsonValue.Create(p.X)).ToArray());
                var y = new JsonArray(points.Select(p => (JsonNode)JsonValue.Create(p.Y)).ToArray());
                var plus = new JsonArray(points.Select(p => (JsonNode?)(p.Upper is { } u ? JsonValue.Create(u - p.Y) : null)).ToArray());
                var minus = new JsonArray(points.Select(p => (JsonNode?)(p.Lower is { } l ? JsonValue.Create(p.Y - l) : null)).ToArray());
                traces.Add(new JsonObject
                {
                    ["type"] = "scatter", ["mode"] = "lines+markers", ["name"] = label, ["x"] = x, ["y"] = y,
                    ["error_y"] = new JsonObject { ["type"] = "data", ["symmetric"] = false, ["array"] = plus, ["arrayminus"] = minus },
                });
            }
            var layout = new JsonObject
            {
                ["title"] = new JsonObject { ["text"] = $"{chosen} against {by}{(seeds is null ? "" : $" (mean over {seeds}, 95 % t-interval)")}" },
                ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = by }, ["type"] = "category" },
                ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "estimate" } },
            };
            html.Append(CultureInfo.InvariantCulture, $"<div id=\"chart\" style=\"height:420px\"></div><script>Plotly.newPlot('chart',{traces.ToJsonString()},{layout.ToJsonString()});</script>");
        }
        html.Append("<table><tr><th>#</th><th>point</th><th>state</th>");
        foreach (var c in claims) html.Append(CultureInfo.InvariantCulture, $"<th>{E(c)}</th>");
        html.Append("</tr>");
        foreach (var point in rows.GroupBy(r => r.Point.Index))
        {
            var first = point.First();
            var site = Path.Combine("points", first.Point.Name, "site", "index.html");
            var link = File.Exists(Path.Combine(manifest.Directory, site)) ? $"<a href=\"{E(site.Replace('\\', '/'))}\">{E(first.Point.Name)}</a>" : E(first.Point.Name);
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{first.Point.Index}</td><td>{link}</td><td>{E(first.State)}</td>");
            foreach (var c in claims)
            {
                var e = point.FirstOrDefault(r => r.Claim?.Key == c)?.Claim;
                html.Append(e is null ? "<td></td>" : $"<td class=\"{E(e.Verdict)}\">{E(e.Verdict)} {Number(e.Estimate)}{(e.Lower is { } lo && e.Upper is { } hi ? $" [{Number(lo)}, {Number(hi)}]" : "")}</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</table>");
        // The values each notebook recorded with its claims (its declared metrics): a column per claim and value.
        var metrics = rows.Where(r => r.Claim is not null).SelectMany(r => r.Values.Keys.Select(k => (Claim: r.Claim!.Key, Value: k))).Distinct().ToList();
        if (metrics.Count > 0)
        {
            html.Append("<h2>Recorded values</h2><table><tr><th>#</th><th>point</th>");
            foreach (var (claim, value) in metrics) html.Append(CultureInfo.InvariantCulture, $"<th>{E(value)}<br><small>{E(claim)}</small></th>");
            html.Append("</tr>");
            foreach (var point in rows.GroupBy(r => r.Point.Index))
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{point.Key}</td><td>{E(point.First().Point.Name)}</td>");
                foreach (var (claim, value) in metrics)
                    html.Append(point.FirstOrDefault(r => r.Claim?.Key == claim)?.Values.TryGetValue(value, out var x) == true ? $"<td>{Number(x)}</td>" : "<td></td>");
                html.Append("</tr>");
            }
            html.Append("</table>");
        }
        html.Append("</body></html>");
        return html.ToString();
    }

    static string Text(object? value) => value switch
    {
        null => "",
        IEnumerable<object> list => "[" + string.Join(", ", list.Select(Text)) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    static string Number(double? v) => v is { } x ? x.ToString("G4", CultureInfo.InvariantCulture) : "";

    static string Csv(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
