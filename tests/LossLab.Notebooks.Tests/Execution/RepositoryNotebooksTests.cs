using LossLab.Notebooks.Execution;
using Xunit.Abstractions;

namespace LossLab.Notebooks.Tests.Execution;

/// <summary>Every notebook under the repository's notebooks/ folder runs at smoke scale without a cell error.</summary>
[Collection("Engine")]
public class RepositoryNotebooksTests(ITestOutputHelper log)
{
    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Notebooks.sln"))) return dir.FullName;
        throw new InvalidOperationException("Notebooks.sln not found above the test folder.");
    }

    /// <summary>Each notebook runs twice with the same parameters: both runs succeed and give the same outputs, every
    /// number of every table, text and claim record alike (timings masked; see <see cref="ComparableOutputs"/>).</summary>
    [Fact]
    public async Task Every_notebook_in_the_notebooks_folder_runs_at_smoke_scale_and_repeats_its_outputs_exactly()
    {
        var folder = Path.Combine(RepositoryRoot(), "notebooks");
        var notebooks = Directory.Exists(folder) ? NotebookDiscovery.Find([folder]) : [];
        if (notebooks.Count == 0)
        {
            log.WriteLine($"No notebooks under {folder} yet: nothing to run.");
            return;
        }
        var failures = new List<string>();
        foreach (var notebook in notebooks)
        {
            var outputs = new List<List<string>>();
            for (int run = 0; run < 2; run++)
            {
                var output = Path.Combine(NotebookHarness.Scratch(), Path.ChangeExtension(Path.GetFileName(notebook), ".ipynb"));
                var result = await NotebookRunner.RunAsync(new RunOptions { InputPath = notebook, OutputPath = output, Scale = "smoke" });
                log.WriteLine($"{Path.GetRelativePath(folder, notebook)} run {run + 1}: {(result.Succeeded ? "ok" : "FAILED")} in {result.Duration.TotalSeconds:0.0} s");
                if (!result.Succeeded) { failures.Add($"{notebook}: {result.Failure!.Describe()}"); break; }
                outputs.Add(ComparableOutputs.Of(output));
            }
            if (outputs.Count < 2) continue;
            for (int cell = 0; cell < Math.Max(outputs[0].Count, outputs[1].Count); cell++)
            {
                string a = cell < outputs[0].Count ? outputs[0][cell] : "(missing)", b = cell < outputs[1].Count ? outputs[1][cell] : "(missing)";
                if (a == b) continue;
                int at = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => a[i] != b[i], Math.Min(a.Length, b.Length));
                string Around(string s) => s.Substring(Math.Max(0, at - 60), Math.Min(160, s.Length - Math.Max(0, at - 60)));
                failures.Add($"{notebook}: code cell {cell + 1} differs between two runs with the same seed:\n  {Around(a)}\n  {Around(b)}");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
