using LossLab.Notebooks.Documents;
using static LossLab.Notebooks.Tests.NotebookHarness;

namespace LossLab.Notebooks.Tests.Execution;

/// <summary>Notebooks in the styles of TorchSharp's tutorials and the .NET Interactive samples run unchanged.</summary>
[Collection("Engine")]
public class NotebooksWrittenElsewhereTests
{
    static NotebookCell Cell(NotebookDocument d, string startsWith) => d.Cells.Single(c => c.Source.StartsWith(startsWith, StringComparison.Ordinal));

    [Fact]
    public async Task A_TorchSharp_tutorial_style_notebook_with_older_metadata_runs()
    {
        var (result, output) = await RunAsync(TestData("elsewhere", "torchsharp-tutorial-style.ipynb"));

        Assert.True(result.Succeeded, result.Failure?.Describe());
        Assert.Equal("24", Text(Cell(output, "var t = torch.ones").Outputs[0]));          // 3·4 ones times 2
        var product = Cell(output, "var x = torch.arange").Outputs[0]!;
        Assert.Contains("14", Text(product));                                                  // 0² + 1² + 2² + 3²
        Assert.StartsWith("<div><pre>", Text(product, "text/html"));
        Assert.Equal("loss went down: True\n", Text(Cell(output, "torch.Tensor Mse").Outputs[0]));
        Assert.Equal(5, output.NbFormatMinor);
        Assert.Equal(LossLab.Notebooks.Kernel.CSharpKernel.LanguageInfo().ToJsonString(), output.Metadata["language_info"]!.ToJsonString());   // the kernel's, as nbclient writes it (the stored one said C# 9.0)
    }

    [Fact]
    public async Task A_dotnet_interactive_sample_style_notebook_runs()
    {
        var (result, output) = await RunAsync(TestData("elsewhere", "interactive-sample-style.ipynb"));

        Assert.True(result.Succeeded, result.Failure?.Describe());
        var basket = Cell(output, "record Fruit");
        Assert.Contains("<code>Fruit { Name = pear, Count = 2, Price = 0.75 }</code>", Text(basket.Outputs[0], "text/html"));
        Assert.Contains("<tr><td>Name</td><td><div class=\"dni-plaintext\"><pre>apple</pre></div></td></tr>", Text(basket.Outputs[1], "text/html"));
        var shows = Cell(output, "\"This is");
        Assert.Equal("This is **markdown** output.", Text(shows.Outputs[0], "text/markdown"));
        Assert.Equal("<b>bold html</b>", Text(shows.Outputs[1], "text/html"));
        var timed = Cell(output, "#!time");
        Assert.Equal("3", Text(timed.Outputs[0]));                                              // 3·0.5 + 2·0.75
        Assert.StartsWith("Wall time: ", Text(timed.Outputs[1]));
        Assert.Equal("<span class=\"fruit\">pear x2</span>", Text(Cell(output, "Formatter.Register").Outputs[0], "text/html"));
        Assert.Equal("step 3 of 3", Text(Assert.Single(Cell(output, "var progress").Outputs)));
        Assert.Contains("Plotly.newPlot", Text(Cell(output, "Plotly.NET.CSharp.Chart.Point").Outputs[0], "text/html"));
    }

    [Fact]
    public async Task A_dib_notebook_with_MathNet_and_Deedle_runs_and_is_written_as_ipynb()
    {
        var (result, output) = await RunAsync(TestData("elsewhere", "fitting-with-mathnet.dib"));

        Assert.True(result.Succeeded, result.Failure?.Describe());
        Assert.EndsWith(".ipynb", result.OutputPath);
        Assert.Equal("intercept 1.500000, slope 2.000000\n", Text(Cell(output, "double[] xs").Outputs[0]));
        Assert.Contains("<tr><th>4</th><td>4</td><td>9.5</td><td>9.5</td></tr>", Text(Cell(output, "record Point").Outputs[0], "text/html"));
    }
}
