using System.CommandLine;
using LossLab.Notebooks.Site;

namespace LossLab.Cli.Commands;

/// <summary><c>losslab render [DIR] [--site DIR] [--sources DIR]</c>: renders executed notebooks into the offline site
/// without running them. <c>losslab run</c> ends with the same step.</summary>
public static class RenderCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "Folder of executed notebooks (what `losslab run` wrote).", DefaultValueFactory = _ => "artifacts", Arity = ArgumentArity.ZeroOrOne };
        var site = new Option<string?>("--site") { Description = "Where the site goes (default: DIR/site).", HelpName = "DIR" };
        var sources = new Option<string?>("--sources") { Description = "The source notebooks, offered for download beside each page (default: notebooks/ when present).", HelpName = "DIR" };
        var command = new Command("render", "Render executed notebooks as an offline HTML site whose index is the reproduction scoreboard.") { dir, site, sources };
        command.SetAction(parse =>
        {
            var root = parse.GetValue(dir) ?? "artifacts";
            if (!Directory.Exists(root))
            {
                Console.Error.WriteLine($"losslab: no folder of executed notebooks at {root}.");
                return 2;
            }
            if (File.Exists(Path.Combine(root, LossLab.Notebooks.Sweeps.SweepManifest.FileName)))
                return SweepCommand.Render(root, null, null, null);   // a sweep's folder: its table and page (losslab sweep render)
            try
            {
                var result = Render(root, parse.GetValue(site), parse.GetValue(sources));
                Report(result);
                return 0;
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
    public static SiteResult Render(string outDir, string? siteDir = null, string? sourceDir = null)
    {
        var executed = ExecutedFolder(outDir);
        sourceDir ??= Directory.Exists("notebooks") ? "notebooks" : null;
        return SiteRenderer.Render(executed, siteDir ?? Path.Combine(outDir, "site"), sourceDir);
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
                          $"({result.Notebooks.Count} notebooks; claims: {held} held, {failed} failed, {inconclusive} inconclusive, {notRun} not run)");
    }
}
