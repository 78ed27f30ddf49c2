using System.CommandLine;
using LossLab.Notebooks.Site;

namespace LossLab.Cli.Commands;

/// <summary><c>losslab render [DIR...] [--site DIR] [--sources DIR]</c>: renders executed notebooks into the offline site
/// without running them. <c>losslab run</c> ends with the same step. Several DIRs (the --out folders of the shards of one
/// run) make one site and one scoreboard; a notebook found in two of them is refused.</summary>
public static class RenderCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var dir = new Argument<string[]>("DIR") { Description = "Folders of executed notebooks (what `losslab run` wrote); several (the shards of one run) make one site.", Arity = ArgumentArity.ZeroOrMore };
        var site = new Option<string?>("--site") { Description = "Where the site goes (default: the first DIR's site/).", HelpName = "DIR" };
        var sources = new Option<string?>("--sources") { Description = "The source notebooks, offered for download beside each page (default: notebooks/ when present).", HelpName = "DIR" };
        var command = new Command("render", "Render executed notebooks as an offline HTML site whose index is the reproduction scoreboard.") { dir, site, sources };
        command.SetAction(parse =>
        {
            var roots = parse.GetValue(dir) is { Length: > 0 } given ? given : ["artifacts"];
            foreach (var root in roots)
                if (!Directory.Exists(root))
                {
                    Console.Error.WriteLine($"losslab: no folder of executed notebooks at {root}.");
                    return 2;
                }
            if (roots.Length == 1 && File.Exists(Path.Combine(roots[0], LossLab.Notebooks.Sweeps.SweepManifest.FileName)))
                return SweepCommand.Render(roots[0], null, null, null);   // a sweep's folder: its table and page (losslab sweep render)
            try
            {
                var result = Render(roots, parse.GetValue(site), parse.GetValue(sources));
                Report(result);
                return 0;
            }
            catch (DuplicateNotebookException e)
            {
                Console.Error.WriteLine($"losslab: {e.Message}");
                return 2;
            }
            catch (InvalidDataException e)
            {
                Console.Error.WriteLine($"losslab: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Renders the executed notebooks under <paramref name="outDir"/> (its notebooks/ subfolder when `losslab run
    /// notebooks` wrote one) into <paramref name="siteDir"/> (default outDir/site).</summary>
    public static SiteResult Render(string outDir, string? siteDir = null, string? sourceDir = null) =>
        Render([outDir], siteDir, sourceDir);

    /// <summary>Renders the executed notebooks of several --out folders (the shards of one run) into one site,
    /// <paramref name="siteDir"/> (default: the first folder's site/).</summary>
    public static SiteResult Render(IReadOnlyList<string> outDirs, string? siteDir = null, string? sourceDir = null)
    {
        sourceDir ??= Directory.Exists("notebooks") ? "notebooks" : null;
        return SiteRenderer.Render([.. outDirs.Select(ExecutedFolder)], siteDir ?? Path.Combine(outDirs[0], "site"), sourceDir);
    }

    /// <summary>Where a run's executed notebooks are: <paramref name="outDir"/>/notebooks when `losslab run notebooks` wrote
    /// one, else <paramref name="outDir"/> itself.</summary>
    public static string ExecutedFolder(string outDir) =>
        Directory.Exists(Path.Combine(outDir, "notebooks")) ? Path.Combine(outDir, "notebooks") : outDir;

    /// <summary>Prints where the site is and its totals.</summary>
    public static void Report(SiteResult result)
    {
        var (held, failed, inconclusive, notRun) = result.Totals;
        Console.WriteLine($"Site: {Path.GetRelativePath(Environment.CurrentDirectory, result.IndexPath)} " +
                          $"({result.Notebooks.Count} notebook{(result.Notebooks.Count == 1 ? "" : "s")}; claims: {held} held, {failed} failed, {inconclusive} inconclusive, {notRun} not run)");
    }
}
