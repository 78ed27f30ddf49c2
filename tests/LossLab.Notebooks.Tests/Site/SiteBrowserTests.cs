using LossLab.Notebooks.Site;
using Microsoft.Playwright;

namespace LossLab.Notebooks.Tests.Site;

/// <summary>
/// Opens the rendered site from file:// in Debian's chromium, driven by Playwright (no browser download). Without a
/// chromium binary the tests report themselves skipped and say why.
/// </summary>
public class SiteBrowserTests : IDisposable
{
    static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
    readonly string root = Path.Combine(Path.GetTempPath(), "losslab-site-browser-" + Guid.NewGuid().ToString("N"));
    public void Dispose() { try { Directory.Delete(root, true); } catch (IOException) { } }

    static string? Chromium() =>
        Environment.GetEnvironmentVariable("LOSSLAB_CHROMIUM") is { Length: > 0 } env && File.Exists(env) ? env
            : Candidates.FirstOrDefault(File.Exists);

    static async Task<IBrowser> Launch(IPlaywright pw, string exe) =>
        await pw.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = exe, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });

    /// <summary>Everything a page did wrong while loading: console errors, script errors, requests leaving the site, dialogs.</summary>
    sealed class PageWatch
    {
        public readonly List<string> Problems = [];
        public PageWatch(IPage page, string siteDir)
        {
            var site = new Uri(siteDir.TrimEnd('/') + "/").AbsoluteUri;
            page.Console += (_, m) => { if (m.Type == "error") Problems.Add($"console error: {m.Text}"); };
            page.PageError += (_, e) => Problems.Add($"page error: {e}");
            page.Request += (_, r) =>
            {
                if (!(r.Url.StartsWith(site, StringComparison.Ordinal) || r.Url.StartsWith("data:", StringComparison.Ordinal)
                      || r.Url == "about:blank"))
                    Problems.Add($"request outside the site: {r.Url}");
            };
            page.RequestFailed += (_, r) => Problems.Add($"request failed: {r.Url} ({r.Failure})");
            page.Dialog += async (_, d) => { Problems.Add($"dialog opened: {d.Message}"); await d.DismissAsync(); };
        }
    }

    [SkippableFact]
    public async Task Every_page_loads_offline_draws_its_charts_typesets_math_and_links_resolve()
    {
        var exe = Chromium();
        Skip.If(exe is null, "No chromium binary (apt-get install chromium, or set LOSSLAB_CHROMIUM): browser tests skipped.");
        var (executed, sources) = SiteFixture.Suite(root);
        var result = SiteRenderer.Render(executed, Path.Combine(root, "site"), sources);
        using var pw = await Playwright.CreateAsync();
        await using var browser = await Launch(pw, exe!);
        var (charts, math) = await CheckEveryPage(browser, result.SiteDirectory);
        Assert.Equal(2, charts);
        Assert.True(math >= 2, $"expected the inline and the display formula typeset, found {math} KaTeX elements");
    }

    /// <summary>Opens every page of the site at <paramref name="siteDir"/> and checks that it loads with no console error,
    /// no request outside the site and no dialog; that every Plotly chart draws; that math typesets without errors; and
    /// that every link resolves. Returns how many charts drew and how many formulas were typeset.</summary>
    static async Task<(int Charts, int Math)> CheckEveryPage(IBrowser browser, string siteDir)
    {
        int charts = 0, math = 0;
        var index = Path.Combine(siteDir, "index.html");
        var pages = new[] { index }.Concat(Directory.EnumerateFiles(siteDir, "*.html", SearchOption.AllDirectories)
            .Where(f => f != index && !f.Contains($"{Path.DirectorySeparatorChar}assets{Path.DirectorySeparatorChar}")).Order());
        foreach (var file in pages)
        {
            var page = await browser.NewPageAsync();
            var watch = new PageWatch(page, siteDir);
            await page.GotoAsync(new Uri(file).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            await page.WaitForTimeoutAsync(300);
            // Every Plotly chart draws its SVG layers.
            // Plotly.NET's own fragments draw into a div named in the script; LossLab's into the div before the script.
            var html = await page.ContentAsync();
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(html, @"Plotly\.newPlot\('([^']+)'"))
            {
                await page.WaitForSelectorAsync($"[id='{m.Groups[1].Value}'] svg.main-svg", new() { Timeout = 15_000 });
                charts++;
            }
            var chartDivs = page.Locator("div.losslab-plotly");
            int count = await chartDivs.CountAsync();
            for (int c = 0; c < count; c++)
            {
                await chartDivs.Nth(c).Locator("svg.main-svg").First.WaitForAsync(new() { Timeout = 15_000 });
                charts++;
            }
            // Math in markdown cells is typeset by KaTeX.
            if (file != index)
            {
                await page.WaitForSelectorAsync("body[data-math=done]", new() { Timeout = 15_000 });
                math += await page.Locator(".markdown .katex").CountAsync();
                Assert.True(await page.Locator(".markdown .katex-error").CountAsync() == 0, $"{file}: a formula failed to typeset");
            }
            // Every link of the page resolves to a file of the site (plotly.js's own modebar logo link aside).
            foreach (var href in await page.Locator("a[href]").EvaluateAllAsync<string[]>(
                         "as => as.filter(a => a.closest('.js-plotly-plot') === null).map(a => a.href)"))
            {
                var uri = new Uri(href);
                Assert.True(uri.IsFile, $"{file}: link {href} leaves the site");
                Assert.True(File.Exists(uri.LocalPath), $"{file}: link {href} points at no file");
            }
            Assert.True(watch.Problems.Count == 0, $"{file}:\n" + string.Join("\n", watch.Problems));
            await page.CloseAsync();
        }
        return (charts, math);
    }

    /// <summary>The suite's own site, rendered by `losslab run notebooks` (LOSSLAB_SITE, else artifacts/site), if there is one.</summary>
    static string? SuiteSite()
    {
        var dir = Environment.GetEnvironmentVariable("LOSSLAB_SITE") is { Length: > 0 } env ? env
            : Path.Combine(SiteFixture.RepoRoot(), "artifacts", "site");
        return File.Exists(Path.Combine(dir, "index.html")) ? dir : null;
    }

    [SkippableFact]
    public async Task The_suites_own_site_opens_offline_with_every_chart_drawn_and_every_link_resolved()
    {
        var exe = Chromium();
        Skip.If(exe is null, "No chromium binary (apt-get install chromium, or set LOSSLAB_CHROMIUM): browser tests skipped.");
        var site = SuiteSite();
        Skip.If(site is null, "No rendered suite site yet (run ./losslab run notebooks first): skipped.");
        using var pw = await Playwright.CreateAsync();
        await using var browser = await Launch(pw, exe!);
        var (charts, _) = await CheckEveryPage(browser, site!);
        Assert.True(charts > 0, "the suite's site drew no chart");
    }

    [SkippableFact]
    public async Task Untrusted_output_shows_literally_and_runs_nothing()
    {
        var exe = Chromium();
        Skip.If(exe is null, "No chromium binary (apt-get install chromium, or set LOSSLAB_CHROMIUM): browser tests skipped.");
        var (executed, sources) = SiteFixture.Suite(root);
        var result = SiteRenderer.Render(executed, Path.Combine(root, "site"), sources);
        using var pw = await Playwright.CreateAsync();
        await using var browser = await Launch(pw, exe!);
        foreach (var nb in result.Notebooks)
        {
            var page = await browser.NewPageAsync();
            var watch = new PageWatch(page, result.SiteDirectory);
            await page.GotoAsync(new Uri(Path.Combine(result.SiteDirectory, nb.PagePath)).AbsoluteUri);
            await page.WaitForTimeoutAsync(300);
            var text = await page.InnerTextAsync("main");
            Assert.Contains("<script>alert(1)</script>", text);
            if (nb.Name == "losses") Assert.Contains("<img src=x onerror=alert(1)>", text);
            Assert.Equal(0, await page.Locator("main img[src=x]").CountAsync());
            Assert.DoesNotContain(watch.Problems, p => p.StartsWith("dialog", StringComparison.Ordinal));
            await page.CloseAsync();
        }
    }

    [SkippableFact]
    public async Task Screenshots_of_the_index_and_a_notebook_page_are_saved()
    {
        var exe = Chromium();
        Skip.If(exe is null, "No chromium binary (apt-get install chromium, or set LOSSLAB_CHROMIUM): browser tests skipped.");
        // The real suite's site when `losslab run` has rendered one, else the fixture's.
        var repoSite = SuiteSite();
        string index, notebookPage;
        if (repoSite is not null && Directory.EnumerateFiles(repoSite, "*.html", SearchOption.AllDirectories).Count() > 1)
        {
            index = Path.Combine(repoSite, "index.html");
            var pages = Directory.EnumerateFiles(repoSite, "*.html", SearchOption.AllDirectories).Where(f => !f.EndsWith("index.html")).Order().ToList();
            notebookPage = pages.FirstOrDefault(f => f.EndsWith("chinchilla-replication.html")) ?? pages[0];
        }
        else
        {
            var (executed, sources) = SiteFixture.Suite(root);
            var result = SiteRenderer.Render(executed, Path.Combine(root, "site"), sources);
            index = result.IndexPath;
            notebookPage = Path.Combine(result.SiteDirectory, result.Notebooks[0].PagePath);
        }
        var shots = Path.Combine(SiteFixture.RepoRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(shots);
        using var pw = await Playwright.CreateAsync();
        await using var browser = await Launch(pw, exe!);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        await page.GotoAsync(new Uri(index).AbsoluteUri);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "index.png"), FullPage = true });
        await page.GotoAsync(new Uri(notebookPage).AbsoluteUri);
        await page.WaitForTimeoutAsync(500);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "notebook.png"), FullPage = true });
        Assert.True(new FileInfo(Path.Combine(shots, "index.png")).Length > 10_000);
        Assert.True(new FileInfo(Path.Combine(shots, "notebook.png")).Length > 10_000);
    }
}
