using System.Net;
using System.Text;

namespace LossLab.Notebooks.Site;

/// <summary>The HTML shell shared by every page: head with the site's assets, sidebar of clusters and notebooks.</summary>
internal static class SiteLayout
{
    /// <summary>The display name and order of the clusters the suite knows; other folders follow alphabetically.</summary>
    internal static readonly (string Folder, string Name)[] KnownClusters =
    [
        ("metric-learning", "Metric learning"), ("unlearning", "Machine unlearning"), ("scaling-laws", "Scaling laws"),
        ("imbalance", "Imbalance and the long tail"), ("optimization", "Optimization and training dynamics"),
    ];

    internal static string ClusterName(string folder)
    {
        foreach (var (f, n) in KnownClusters) if (f == folder) return n;
        if (folder.Length == 0) return "Other notebooks";
        var words = folder.Replace('_', '-').Split('-', StringSplitOptions.RemoveEmptyEntries);
        var name = string.Join(" ", words);
        return name.Length == 0 ? folder : char.ToUpperInvariant(name[0]) + name[1..];
    }

    internal static int ClusterOrder(string folder)
    {
        for (int i = 0; i < KnownClusters.Length; i++) if (KnownClusters[i].Folder == folder) return i;
        return KnownClusters.Length;
    }

    internal static string Encode(string? s) => WebUtility.HtmlEncode(s ?? "");

    /// <summary>A whole page. <paramref name="root"/> is the relative path from the page to the site root ("" or "../").</summary>
    internal static string Page(string title, string root, string currentPage, IReadOnlyList<SiteNotebook> all, string body,
        bool withPlotly, bool withMath)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append("<title>").Append(Encode(title)).Append(" · LossLab</title>\n");
        sb.Append("<link rel=\"stylesheet\" href=\"").Append(root).Append("assets/site.css\">\n");
        if (withMath)
        {
            sb.Append("<link rel=\"stylesheet\" href=\"").Append(root).Append("assets/katex/katex.min.css\">\n");
            sb.Append("<script defer src=\"").Append(root).Append("assets/katex/katex.min.js\"></script>\n");
            sb.Append("<script defer src=\"").Append(root).Append("assets/katex/auto-render.min.js\"></script>\n");
        }
        if (withPlotly) sb.Append("<script src=\"").Append(root).Append("assets/plotly.min.js\"></script>\n");
        sb.Append("<script defer src=\"").Append(root).Append("assets/site.js\"></script>\n");
        sb.Append("</head>\n<body>\n<nav class=\"sidebar\">\n<a class=\"home\" href=\"").Append(root).Append("index.html\">LossLab</a>\n");
        foreach (var group in Clusters(all))
        {
            sb.Append("<div class=\"cluster\"><div class=\"cluster-name\">").Append(Encode(ClusterName(group.Key))).Append("</div><ul>\n");
            foreach (var nb in group)
            {
                bool current = nb.PagePath == currentPage;
                sb.Append("<li").Append(current ? " class=\"current\"" : "").Append("><a href=\"").Append(root)
                  .Append(Encode(nb.PagePath)).Append("\">").Append(Encode(nb.Title)).Append("</a> ")
                  .Append(StatusBadge(nb.Status)).Append("</li>\n");
            }
            sb.Append("</ul></div>\n");
        }
        sb.Append("</nav>\n<main>\n").Append(body).Append("\n</main>\n</body>\n</html>\n");
        return sb.ToString();
    }

    internal static IEnumerable<IGrouping<string, SiteNotebook>> Clusters(IEnumerable<SiteNotebook> all) =>
        all.OrderBy(n => ClusterOrder(n.Cluster)).ThenBy(n => n.Cluster, StringComparer.Ordinal)
           .ThenBy(n => n.RelativePath, StringComparer.Ordinal).GroupBy(n => n.Cluster);

    internal static string StatusBadge(string status) =>
        $"<span class=\"status status-{status.Replace(' ', '-')}\">{Encode(status)}</span>";

    internal static string VerdictBadge(string verdict) =>
        $"<span class=\"verdict verdict-{Encode(verdict)}\">{Encode(verdict)}</span>";
}
