using LossLab.Notebooks.Site;

namespace LossLab.Notebooks.Tests.Site;

public class SiteRendererTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), "losslab-site-" + Guid.NewGuid().ToString("N"));
    public void Dispose() { try { Directory.Delete(root, true); } catch (IOException) { } }

    [Fact]
    public void Scoreboard_counts_verdicts_per_cluster_and_overall()
    {
        var (executed, sources) = SiteFixture.Suite(root);
        var result = SiteRenderer.Render(executed, Path.Combine(root, "site"), sources);
        Assert.Equal((2, 1, 1, 1), result.Totals);
        var index = File.ReadAllText(result.IndexPath);
        Assert.Contains("Overall: <b>2</b> held · <b>1</b> failed · <b>1</b> inconclusive · <b>1</b> not run", index);
        Assert.Contains("<b>1</b> held · <b>1</b> failed · <b>0</b> inconclusive · <b>1</b> not run", index);    // metric learning
        Assert.Contains("<b>1</b> held · <b>0</b> failed · <b>1</b> inconclusive · <b>0</b> not run", index);    // imbalance
        // each claim shows its estimate with the interval, n and threshold; inconclusive has its own (amber) badge
        Assert.Contains("<td class=\"num\">1 [0.25, 1.75]</td><td class=\"num\">5</td><td class=\"num\">&gt; 0</td>", index);
        Assert.Contains("<td class=\"num\">1 [-0.5, 1.75]</td>", index);
        Assert.Contains("<span class=\"verdict verdict-inconclusive\">inconclusive</span>", index);
        // Known clusters come in the suite's order: metric learning before imbalance.
        Assert.True(index.IndexOf("Metric learning", StringComparison.Ordinal) < index.IndexOf("Imbalance and the long tail", StringComparison.Ordinal));
        Assert.Contains("Circle and multi-similarity losses compared.", index);
    }

    [Fact]
    public void Untrusted_text_outputs_are_encoded_and_never_markup()
    {
        var (executed, sources) = SiteFixture.Suite(root);
        var result = SiteRenderer.Render(executed, Path.Combine(root, "site"), sources);
        var a = File.ReadAllText(Path.Combine(result.SiteDirectory, "metric-learning", "losses.html"));
        var b = File.ReadAllText(Path.Combine(result.SiteDirectory, "imbalance", "long-tail.html"));
        foreach (var page in new[] { a, b })
        {
            Assert.DoesNotContain("<script>alert(1)</script>", page);
            Assert.DoesNotContain("<img src=x onerror=alert(1)>", page);
        }
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", a);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", a);
        Assert.Contains("System.Exception: &lt;script&gt;alert(1)&lt;/script&gt;", b);
    }

    [Fact]
    public void Notebook_links_point_at_pages_and_downloads_exist()
    {
        var (executed, sources) = SiteFixture.Suite(root);
        var result = SiteRenderer.Render(executed, Path.Combine(root, "site"), sources);
        var a = File.ReadAllText(Path.Combine(result.SiteDirectory, "metric-learning", "losses.html"));
        Assert.Contains("href=\"../imbalance/long-tail.html#results\"", a);
        Assert.Contains("href=\"losses.source.ipynb\"", a);
        Assert.True(File.Exists(Path.Combine(result.SiteDirectory, "metric-learning", "losses.source.ipynb")));
        Assert.True(File.Exists(Path.Combine(result.SiteDirectory, "metric-learning", "losses.ipynb")));
        // The second notebook has no source in the source folder, so it offers only the executed copy.
        var b = File.ReadAllText(Path.Combine(result.SiteDirectory, "imbalance", "long-tail.html"));
        Assert.DoesNotContain("source.ipynb", b);
    }

    [Fact]
    public void Plotly_is_carried_once_and_referenced_only_by_pages_with_charts()
    {
        var (executed, sources) = SiteFixture.Suite(root);
        var result = SiteRenderer.Render(executed, Path.Combine(root, "site"), sources);
        var js = Path.Combine(result.SiteDirectory, "assets", "plotly.min.js");
        Assert.True(new FileInfo(js).Length > 1_000_000);
        var a = File.ReadAllText(Path.Combine(result.SiteDirectory, "metric-learning", "losses.html"));
        var b = File.ReadAllText(Path.Combine(result.SiteDirectory, "imbalance", "long-tail.html"));
        Assert.Equal(1, Count(a, "assets/plotly.min.js"));
        Assert.Equal(0, Count(b, "assets/plotly.min.js"));
        Assert.DoesNotContain("cdn.plot.ly", a);
        Assert.True(File.Exists(Path.Combine(result.SiteDirectory, "assets", "katex", "katex.min.js")));
        Assert.True(File.Exists(Path.Combine(result.SiteDirectory, "assets", "katex", "fonts", "KaTeX_Main-Regular.woff2")));
    }

    [Fact]
    public void Setup_cell_is_folded_and_others_open()
    {
        var (executed, sources) = SiteFixture.Suite(root);
        var result = SiteRenderer.Render(executed, Path.Combine(root, "site"), sources);
        var a = File.ReadAllText(Path.Combine(result.SiteDirectory, "metric-learning", "losses.html"));
        int setup = a.IndexOf("#r &quot;nuget: TorchSharp", StringComparison.Ordinal);
        Assert.True(setup > 0);
        var details = a.LastIndexOf("<details", setup, StringComparison.Ordinal);
        Assert.StartsWith("<details class=\"code\">", a[details..]);          // no "open": folded
        Assert.Contains("<details class=\"code\" open><summary>In [2]<span class=\"tag\">parameters</span>", a);
    }

    [Fact]
    public void Status_reads_failed_and_incomplete_runs()
    {
        var dir = Path.Combine(root, "executed", "x");
        SiteFixture.Write(Path.Combine(dir, "failed.ipynb"), SiteFixture.Notebook(true, SiteFixture.Code("boom", 1, "failed")));
        SiteFixture.Write(Path.Combine(dir, "killed.ipynb"), SiteFixture.Notebook(false, SiteFixture.Code("a", 1), SiteFixture.Code("b", 2, "pending")));
        SiteFixture.Write(Path.Combine(dir, "fine.ipynb"), SiteFixture.Notebook(true, SiteFixture.Code("a", 1)));
        var result = SiteRenderer.Render(Path.Combine(root, "executed"), Path.Combine(root, "site"));
        var status = result.Notebooks.ToDictionary(n => n.Name, n => n.Status);
        Assert.Equal("failed", status["failed"]);
        Assert.Equal("incomplete", status["killed"]);
        Assert.Equal("completed", status["fine"]);
    }

    [Fact]
    public void A_malformed_notebook_is_named_in_the_error()
    {
        var path = Path.Combine(root, "executed", "x", "broken.ipynb");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{ not json");
        var e = Assert.Throws<InvalidDataException>(() => SiteRenderer.Render(Path.Combine(root, "executed"), Path.Combine(root, "site")));
        Assert.Contains("broken.ipynb", e.Message);
    }

    [Fact]
    public void Highlighter_encodes_and_marks_tokens()
    {
        var html = CSharpHighlighter.ToHtml("#r \"x.dll\"\nvar s = \"<b>\"; // note\nint n = 42;");
        Assert.Equal("<span class=\"directive\">#r &quot;x.dll&quot;</span>\n<span class=\"keyword\">var</span> s = " +
                     "<span class=\"string\">&quot;&lt;b&gt;&quot;</span>; <span class=\"comment\">// note</span>\n" +
                     "<span class=\"keyword\">int</span> n = <span class=\"number\">42</span>;", html);
    }

    [Theory]
    [InlineData("# T\n\nCircle beats triplet on unseen classes. More text.", "Circle beats triplet on unseen classes.")]
    [InlineData("# T\n\n**Papers.** Sun et al. 2020, *Circle*.\n\n**Claims.**\n1. Circle losses are *hardness-aware*: weights grow\n   with s_n.\n2. Other.", "Circle losses are hardness-aware: weights grow with s_n.")]
    [InlineData("# T\n\n**Papers.** Hoffmann et al. 2022 (arXiv:2203.15556). Second.", "")]
    public void Summary_is_the_first_plain_paragraph_else_the_first_listed_claim(string markdown, string expected)
    {
        var path = Path.Combine(root, "executed", "x", "s.ipynb");
        SiteFixture.Write(path, SiteFixture.Notebook(true, SiteFixture.Markdown(markdown)));
        Assert.Equal(expected, SiteNotebook.Load(path, "x/s.ipynb").Summary);
    }

    static int Count(string s, string what)
    {
        int n = 0, i = 0;
        while ((i = s.IndexOf(what, i, StringComparison.Ordinal)) >= 0) { n++; i += what.Length; }
        return n;
    }
}
