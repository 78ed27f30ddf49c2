using System.CommandLine;
using LossLab.Notebooks.Execution;

namespace LossLab.Cli.Commands;

/// <summary><c>losslab check PATH...</c>: Polyglot metadata, a parameters cell with Scale, no stored outputs.</summary>
public static class CheckCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH") { Description = "Notebooks or folders (searched recursively).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("check", "Check notebooks: Polyglot metadata, a parameters cell declaring Scale, no stored outputs.") { paths };
        command.SetAction(parse =>
        {
            IReadOnlyList<string> notebooks;
            try { notebooks = NotebookDiscovery.Find(parse.GetValue(paths)!); }
            catch (ArgumentException e) { Console.Error.WriteLine($"losslab: {e.Message}"); return 2; }
            int bad = 0;
            foreach (var notebook in notebooks)
            {
                var shown = Path.GetRelativePath(Environment.CurrentDirectory, notebook);
                var problems = NotebookChecks.Check(notebook);
                if (problems.Count == 0) { Console.WriteLine($"ok      {shown}"); continue; }
                bad++;
                Console.WriteLine($"FAILED  {shown}");
                foreach (var p in problems) Console.WriteLine($"        - {p}");
            }
            Console.WriteLine($"{notebooks.Count - bad} of {notebooks.Count} notebooks pass.");
            return bad == 0 ? 0 : 1;
        });
        return command;
    }
}
