using System.CommandLine;
using LossLab.Notebooks.Site;

namespace LossLab.Cli.Commands;

/// <summary><c>losslab diff RUN_A RUN_B</c>: what changed between two runs: verdicts that changed, claims added or removed,
/// and the estimates that moved most. A run is a scoreboard file, a folder holding <c>scoreboard.json</c> (an
/// <c>--out</c> folder), or a folder of executed notebooks (read directly, for runs made before scoreboards).</summary>
public static class DiffCommand
{
    public static Command Create()
    {
        var before = new Argument<string>("RUN_A") { Description = "The earlier run: scoreboard.json, a run's output folder, or a folder of executed notebooks." };
        var after = new Argument<string>("RUN_B") { Description = "The later run, the same kinds." };
        var top = new Option<int>("--top") { Description = "How many of the largest moves of estimates to list.", DefaultValueFactory = _ => 10, HelpName = "N" };
        var command = new Command("diff", "Compare two runs' claims: verdict changes and the largest moves of estimates.") { before, after, top };
        command.SetAction(parse =>
        {
            if (parse.GetValue(top) < 0) { Console.Error.WriteLine("losslab: --top must be 0 or more."); return 2; }
            try
            {
                var a = Read(parse.GetValue(before)!);
                var b = Read(parse.GetValue(after)!);
                Console.Write(Scoreboard.Diff(a, b).Report(parse.GetValue(top)));
                return 0;
            }
            catch (Exception e) when (e is InvalidDataException or FileNotFoundException or DirectoryNotFoundException or ArgumentException)
            {
                Console.Error.WriteLine($"losslab: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    /// <summary>A run's scoreboard from a file or a folder.</summary>
    public static Scoreboard Read(string path)
    {
        if (File.Exists(path)) return Scoreboard.Load(path);
        if (!Directory.Exists(path)) throw new FileNotFoundException($"{path}: no such scoreboard file or run folder.");
        var file = Path.Combine(path, "scoreboard.json");
        if (File.Exists(file)) return Scoreboard.Load(file);
        var notebooks = SiteRenderer.LoadExecuted(RenderCommand.ExecutedFolder(path), Path.Combine(path, "site"));
        if (notebooks.Count == 0) throw new InvalidDataException($"{path}: neither a scoreboard.json nor executed notebooks in this folder.");
        return Scoreboard.From(notebooks);
    }
}
