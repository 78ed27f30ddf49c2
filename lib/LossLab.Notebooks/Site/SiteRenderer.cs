using System.Text;

namespace LossLab.Notebooks.Site;

/// <summary>What a site rendering produced.</summary>
/// <param name="SiteDirectory">The folder holding index.html.</param>
/// <param name="Notebooks">The notebooks rendered, in site order.</param>
public sealed record SiteResult(string SiteDirectory, IReadOnlyList<SiteNotebook> Notebooks)
{
    /// <summary>The scoreboard page.</summary>
    public string IndexPath => Path.Combine(SiteDirectory, "index.html");

    /// <summary>Claims with each verdict over the whole suite.</summary>
    public (int Held, int Failed, int Inconclusive, int NotRun) Totals => SiteRenderer.Count(Notebooks.SelectMany(n => n.Claims));
}

/// <summary>
/// Renders executed notebooks into a static site that opens from the file system: one page per notebook, an index that is
/// the reproduction scoreboard (every claim with its verdict, totals per cluster and overall), and the assets (plotly.js once,
/// KaTeX, the stylesheet). The executed notebook and, when found, its source are copied beside each page for download.
/// </summary>
public static class SiteRenderer
{
    /// <summary>Renders every .ipynb below <paramref name="executedRoot"/> into <paramref name="siteDirectory"/>.
    /// <paramref name="sourceRoot"/>, when given, is the folder the notebooks were run from (notebooks/): the source of
    /// <c>executedRoot/a/b.ipynb</c> is looked for at <c>sourceRoot/a/b.ipynb</c>.</summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="executedRoot"/> does not exist.</exception>
    public static SiteResult Render(string executedRoot, string siteDirectory, string? sourceRoot = null) =>
        Render([executedRoot], siteDirectory, sourceRoot);

    /// <summary>Renders the executed notebooks of several folders (the shards of one run, each written by
    /// <c>losslab run --shard I/N</c>) into one site and one scoreboard.</summary>
    /// <exception cref="DuplicateNotebookException">A notebook (by its path inside its folder) is in two of the folders; the
    /// message names it and both folders.</exception>
    public static SiteResult Render(IReadOnlyList<string> executedRoots, string siteDirectory, string? sourceRoot = null)
    {
        siteDirectory = Path.GetFullPath(siteDirectory);
        var rootOf = new Dictionary<SiteNotebook, string>(ReferenceEqualityComparer.Instance);
        var byPath = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var given in executedRoots)
        {
            var root = Path.GetFullPath(given);
            if (!Directory.Exists(root))
                throw new DirectoryNotFoundException($"No executed notebooks folder at {root}.");
            // A shard's own rendered site (root/site, with its page copies of the notebooks) is not more notebooks.
            var ownSite = Path.Combine(root, "site");
            bool skipOwn = File.Exists(Path.Combine(ownSite, "index.html"));
            foreach (var nb in LoadExecuted(root, siteDirectory))
            {
                if (skipOwn && IsInside(Path.Combine(root, nb.RelativePath), ownSite)) continue;
                if (byPath.TryGetValue(nb.RelativePath, out var other))
                    throw new DuplicateNotebookException($"{nb.RelativePath} is in both {other} and {root}: each notebook must come from one folder (render the shards of one run).");
                byPath[nb.RelativePath] = root;
                rootOf[nb] = root;
            }
        }
        var notebooks = SiteLayout.Clusters([.. rootOf.Keys.OrderBy(n => n.RelativePath, StringComparer.Ordinal)]).SelectMany(g => g).ToList();

        Directory.CreateDirectory(siteDirectory);
        SiteAssets.WriteAll(siteDirectory);
        foreach (var nb in notebooks)
        {
            var pagePath = Path.Combine(siteDirectory, nb.PagePath);
            var root = string.Concat(Enumerable.Repeat("../", nb.PagePath.Count(ch => ch == '/')));
            var source = sourceRoot is null ? null : Path.Combine(Path.GetFullPath(sourceRoot), nb.RelativePath);
            bool hasSource = source is not null && File.Exists(source);
            var (body, plotly) = NotebookPage.Render(nb, hasSource);
            var page = SiteLayout.Page(nb.Title, root, nb.PagePath, notebooks, body, plotly, withMath: true);
            SiteAssets.WriteAtomically(pagePath, page);
            SiteAssets.WriteAtomically(Path.ChangeExtension(pagePath, ".ipynb"), nb.Json.ToJsonString());
            if (hasSource) File.Copy(source!, Path.ChangeExtension(pagePath, ".source.ipynb"), overwrite: true);
            // The whole text of truncated streams (side files beside the executed notebook) goes beside the page.
            var executedFolder = Path.GetDirectoryName(Path.Combine(rootOf[nb], nb.RelativePath))!;
            foreach (var file in NotebookPage.StreamFiles(nb))
            {
                var from = Path.Combine(executedFolder, file);
                if (File.Exists(from)) File.Copy(from, Path.Combine(Path.GetDirectoryName(pagePath)!, file), overwrite: true);
            }
        }
        // The run's scoreboard beside the site (and a dated copy); the index shows the previous run's verdict where it differs.
        var folder = Path.GetDirectoryName(siteDirectory)!;
        var scoreboard = Scoreboard.From(notebooks, machine: Scoreboard.ThisMachine());
        var previous = Scoreboard.Previous(folder, scoreboard.Ended);
        scoreboard.Save(folder);
        SiteAssets.WriteAtomically(Path.Combine(siteDirectory, "scoreboard.json"), scoreboard.ToJson());
        var was = previous?.Entries.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.First().Verdict) ?? [];
        SiteAssets.WriteAtomically(Path.Combine(siteDirectory, "index.html"),
            SiteLayout.Page("Reproduction scoreboard", "", "index.html", notebooks, Index(notebooks, was, previous), false, false));
        return new SiteResult(siteDirectory, notebooks);
    }

    /// <summary>The executed notebooks below <paramref name="executedRoot"/> (sources copied beside site pages and anything
    /// inside <paramref name="siteDirectory"/> left out), in path order.</summary>
    /// <exception cref="InvalidDataException">A file is not a notebook; the message names it.</exception>
    public static IReadOnlyList<SiteNotebook> LoadExecuted(string executedRoot, string? siteDirectory = null)
    {
        executedRoot = Path.GetFullPath(executedRoot);
        var site = siteDirectory is null ? null : Path.GetFullPath(siteDirectory);
        return Directory.EnumerateFiles(executedRoot, "*.ipynb", SearchOption.AllDirectories)
            .Where(p => (site is null || !IsInside(p, site)) && !p.EndsWith(".source.ipynb", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(p => SiteNotebook.Load(p, Path.GetRelativePath(executedRoot, p)))
            .ToList();
    }

    internal static (int Held, int Failed, int Inconclusive, int NotRun) Count(IEnumerable<SiteClaim> claims)
    {
        int held = 0, failed = 0, inconclusive = 0, notRun = 0;
        foreach (var c in claims)
            switch (c.Verdict)
            {
                case "held": held++; break;
                case "failed": failed++; break;
                case "inconclusive": inconclusive++; break;
                default: notRun++; break;
            }
        return (held, failed, inconclusive, notRun);
    }

    static string Totals((int Held, int Failed, int Inconclusive, int NotRun) t) =>
        $"<b>{t.Held}</b> held · <b>{t.Failed}</b> failed · <b>{t.Inconclusive}</b> inconclusive · <b>{t.NotRun}</b> not run";

    static string Index(IReadOnlyList<SiteNotebook> notebooks, IReadOnlyDictionary<string, string> was, Scoreboard? previous)
    {
        var sb = new StringBuilder();
        sb.Append("<h1>LossLab: reproduction scoreboard</h1>\n");
        sb.Append("<p class=\"summary\">Each notebook reproduces falsifiable claims of recent papers on training objectives and training dynamics. ")
          .Append("A claim is <em>held</em> when the whole 95 % interval of its estimate lies on the claimed side of its threshold, <em>failed</em> when it lies wholly on the other side, ")
          .Append("<em>inconclusive</em> when it straddles the threshold (or the model did not beat its baseline), and <em>not run</em> when it needs a larger scale than the run's.</p>\n");
        var all = Count(notebooks.SelectMany(n => n.Claims));
        int completed = notebooks.Count(n => n.Status == "completed");
        sb.Append("<p class=\"totals\" id=\"overall\">Overall: ").Append(Totals(all)).Append(" · <b>").Append(completed)
          .Append("</b> of <b>").Append(notebooks.Count).Append("</b> notebooks completed</p>\n");
        if (previous is not null)
        {
            int changed = notebooks.Sum(n => n.Claims.Count(c => was.TryGetValue($"{n.RelativePath}/{c.Id}", out var v) && v != c.Verdict));
            sb.Append("<p class=\"summary\" id=\"previous\">Compared with the previous run (").Append(previous.Ended.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture))
              .Append(" UTC): <b>").Append(changed).Append("</b> verdicts changed; the previous verdict is shown under each. ")
              .Append("<code>losslab diff</code> lists the changes and the largest moves of the estimates; the scoreboard is <a href=\"scoreboard.json\">scoreboard.json</a>.</p>\n");
        }
        foreach (var group in SiteLayout.Clusters(notebooks))
        {
            var t = Count(group.SelectMany(n => n.Claims));
            sb.Append("<h2>").Append(SiteLayout.Encode(SiteLayout.ClusterName(group.Key))).Append("</h2>\n");
            sb.Append("<p class=\"totals\">").Append(Totals(t)).Append("</p>\n");
            sb.Append("<table class=\"scoreboard\"><thead><tr><th>notebook</th><th>status</th><th>claim</th><th>expected</th><th>observed</th><th>estimate [95 % interval]</th><th>n</th><th>threshold</th><th>verdict</th></tr></thead><tbody>\n");
            foreach (var nb in group)
            {
                int rows = Math.Max(1, nb.Claims.Count);
                sb.Append("<tr><td rowspan=\"").Append(rows).Append("\"><a href=\"").Append(SiteLayout.Encode(nb.PagePath)).Append("\">")
                  .Append(SiteLayout.Encode(nb.Title)).Append("</a><div class=\"summary\">").Append(SiteLayout.Encode(nb.Summary))
                  .Append("</div></td><td rowspan=\"").Append(rows).Append("\">").Append(SiteLayout.StatusBadge(nb.Status)).Append("</td>");
                if (nb.Claims.Count == 0) sb.Append("<td colspan=\"7\"><em>no claims recorded</em></td></tr>\n");
                for (int i = 0; i < nb.Claims.Count; i++)
                {
                    var c = nb.Claims[i];
                    if (i > 0) sb.Append("<tr>");
                    sb.Append("<td>").Append(SiteLayout.Encode(c.Claim));
                    if (c.Paper.Length > 0) sb.Append(" <span class=\"paper\">(").Append(SiteLayout.Encode(c.Paper)).Append(")</span>");
                    if (c.Reason.Length > 0) sb.Append("<div class=\"reason\">").Append(SiteLayout.Encode(c.Reason)).Append("</div>");
                    sb.Append("</td><td>").Append(SiteLayout.Encode(c.Expected)).Append("</td><td>").Append(SiteLayout.Encode(c.Observed))
                      .Append("</td><td class=\"num\">").Append(SiteLayout.Encode(c.Estimate)).Append("</td><td class=\"num\">").Append(SiteLayout.Encode(c.N))
                      .Append("</td><td class=\"num\">").Append(SiteLayout.Encode(c.Threshold))
                      .Append("</td><td>").Append(SiteLayout.VerdictBadge(c.Verdict));
                    if (was.TryGetValue($"{nb.RelativePath}/{c.Id}", out var before) && before != c.Verdict)
                        sb.Append("<div class=\"previous\">previous run: ").Append(SiteLayout.Encode(before)).Append("</div>");
                    sb.Append("</td></tr>\n");
                }
            }
            sb.Append("</tbody></table>\n");
        }
        if (notebooks.Count == 0) sb.Append("<p><em>No executed notebooks were found.</em></p>\n");
        return sb.ToString();
    }

    static bool IsInside(string path, string folder) =>
        Path.GetFullPath(path).StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}

/// <summary>The same notebook (by its path inside its folder) is in two of the folders given to one render.</summary>
public sealed class DuplicateNotebookException(string message) : Exception(message);
