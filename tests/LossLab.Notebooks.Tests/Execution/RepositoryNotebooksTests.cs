using LossLab.Notebooks.Execution;
using Xunit.Abstractions;

namespace LossLab.Notebooks.Tests.Execution;

/// <summary>Every notebook under the repository's notebooks/ folder runs at smoke scale without a cell error.</summary>
[Collection("Engine")]
public class RepositoryNotebooksTests(ITestOutputHelper log)
{
    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Notebooks.sln"))) return dir.FullName;
        throw new InvalidOperationException("Notebooks.sln not found above the test folder.");
    }

    [Fact]
    public async Task Every_notebook_in_the_notebooks_folder_runs_at_smoke_scale()
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
            var output = Path.Combine(NotebookHarness.Scratch(), Path.ChangeExtension(Path.GetFileName(notebook), ".ipynb"));
            var result = await NotebookRunner.RunAsync(new RunOptions { InputPath = notebook, OutputPath = output, Scale = "smoke" });
            log.WriteLine($"{Path.GetRelativePath(folder, notebook)}: {(result.Succeeded ? "ok" : "FAILED")} in {result.Duration.TotalSeconds:0.0} s");
            if (!result.Succeeded) failures.Add($"{notebook}: {result.Failure!.Describe()}");
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
