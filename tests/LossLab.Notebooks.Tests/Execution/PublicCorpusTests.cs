using static LossLab.Notebooks.Tests.NotebookHarness;

namespace LossLab.Notebooks.Tests.Execution;

/// <summary>
/// The engine runs the public notebooks (TestData/corpus, MIT, see its README) that the real .NET Interactive kernel runs
/// to the end on this platform, and fails the two that fail there on purpose, at the cell where the kernel fails.
/// </summary>
[Collection("Engine")]
public class PublicCorpusTests
{
    /// <summary>The notebooks dotnet-interactive 1.0.712001 runs to the end on Debian 12 (corpus README).</summary>
    public static TheoryData<string> RunByTheRealKernel()
    {
        var data = new TheoryData<string>();
        var root = TestData("corpus", "csharp-notebooks");
        foreach (var path in Directory.EnumerateFiles(root, "*.ipynb", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (relative is "csharp-101/14-Methods and Members.ipynb" or "notebook-getting-started/02-Code Cells.ipynb") continue;
            data.Add(relative);
        }
        return data;
    }

    [Fact]
    public void The_corpus_has_the_eighteen_notebooks_the_real_kernel_runs()
    {
        Assert.Equal(18, ((IEnumerable<object[]>)RunByTheRealKernel()).Count());
    }

    [Theory]
    [MemberData(nameof(RunByTheRealKernel))]
    public async Task A_notebook_the_real_kernel_runs_runs_to_the_end(string relativePath)
    {
        var (result, _) = await RunAsync(TestData("corpus", "csharp-notebooks", relativePath), timeout: TimeSpan.FromMinutes(5));
        Assert.True(result.Succeeded, result.Failure?.Describe());
    }

    [Theory]
    [InlineData("csharp-101/14-Methods and Members.ipynb", "CompilationError")]      // an exercise left for the reader
    [InlineData("notebook-getting-started/02-Code Cells.ipynb", "CompilationError")] // #r "<path to .dll>", a placeholder
    public async Task A_notebook_that_fails_on_purpose_fails_with_an_error_output(string relativePath, string error)
    {
        var (result, output) = await RunAsync(TestData("corpus", "csharp-notebooks", relativePath), timeout: TimeSpan.FromMinutes(5));
        Assert.False(result.Succeeded);
        Assert.Equal(error, result.Failure!.Name);
        Assert.Contains(output.Cells.Where(c => c.IsCode).SelectMany(c => c.Outputs), o => (string?)o!["output_type"] == "error");
    }
}
