using System.Text.Json.Nodes;
using LossLab.Notebooks.Documents;

namespace LossLab.Notebooks.Tests.Execution;

public class NotebookRunnerTests
{
    [Fact]
    public async Task Engine_tour_runs_at_smoke_scale_with_parameters_display_chart_and_claims()
    {
        var (result, output) = await NotebookHarness.RunAsync(NotebookHarness.TestData("polyglot", "engine-tour.ipynb"), scale: "smoke");

        Assert.True(result.Succeeded, result.Failure?.Describe());
        var injected = Assert.Single(output.Cells, c => c.HasTag("injected-parameters"));
        Assert.Equal("// Parameters\nstring Scale = \"smoke\";", injected.Source);
        Assert.True(output.Cells.IndexOf(injected) == output.Cells.FindIndex(c => c.HasTag("parameters")) + 1);

        var descent = output.Cells.Single(c => c.Source.Contains("Descend(Lr, Steps)"));
        // 20 steps of x ← x − 0.1·2x from 3: loss 9·0.8^(2·19) at the last recorded step.
        var expectedLoss = 9 * Math.Pow(0.8, 38);
        var stdout = JsonText.JoinLines(descent.Outputs[0]!["text"]);
        Assert.Equal($"scale smoke: 20 steps, final loss {expectedLoss:G4}\n", stdout);
        Assert.Equal("display_data", descent.Outputs[1]!["output_type"]!.GetValue<string>());
        Assert.Contains("<pre>5.76</pre>", JsonText.JoinLines(descent.Outputs[1]!["data"]!["text/html"]));

        var chart = output.Cells.Single(c => c.Source.StartsWith("Plotly.NET.CSharp.Chart.Line", StringComparison.Ordinal));
        var html = JsonText.JoinLines(Assert.Single(chart.Outputs)!["data"]!["text/html"]);
        Assert.Contains("Plotly.newPlot", html);
        Assert.DoesNotContain("function(t,e){", html); // plotly.js itself is not inlined per chart

        var claimsCell = output.Cells.Last();
        var claims = (JsonArray)claimsCell.Outputs[0]!["metadata"]!["losslab"]!["claims"]!;
        Assert.Equal(2, claims.Count);
        // smoke scale decides no claim; the numbers are still recorded
        Assert.Equal("not-run", claims[0]!["verdict"]!.GetValue<string>());
        Assert.Contains("smoke", claims[0]!["reason"]!.GetValue<string>());
        Assert.Equal("not-run", claims[1]!["verdict"]!.GetValue<string>());
        Assert.Equal("smoke", claims[0]!["scale"]!.GetValue<string>());
        Assert.Equal(expectedLoss, claims[0]!["values"]!["last"]!.GetValue<double>(), 12);
    }
}
