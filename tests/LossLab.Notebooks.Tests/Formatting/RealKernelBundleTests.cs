using System.Text.Json.Nodes;
using LossLab.Notebooks.Documents;
using LossLab.Notebooks.Kernel;

namespace LossLab.Notebooks.Tests.Formatting;

/// <summary>
/// The engine's MIME bundles against the real kernel's: each cell of notebooks executed by dotnet-interactive 1.0.712001
/// (TestData/real-kernel, see its README) runs in the engine, and every MIME type the kernel gave (text/html, text/plain,
/// text/latex, text/csv) must come out identical. The engine also adds text/plain where the kernel gave text/html alone,
/// as VS Code's Polyglot receives it; that is not compared.
/// </summary>
[Collection("Engine")]
public class RealKernelBundleTests
{
    /// <summary>Cells whose real output is not a display of the engine's concern, each with the reason.</summary>
    static readonly Dictionary<string, string> NotCompared = new()
    {
        ["new MathString(@\"\\frac{1}{2}\")"] = "MathString is gone from 1.0.712001 (a compile error there); the engine keeps it for older notebooks",
        ["throw new Exception(\"boom\")"] = "a compile error (no semicolon): errors are formatted elsewhere",
        ["new P(1,\"x\").ToDisplayString()"] = "ToDisplayString is not imported by default in 1.0.712001 (a compile error there)",
        ["new P(1,\"x\").ToDisplayString(\"text/html\")"] = "as above",
        ["display(new P(1,\"x\"), \"text/plain\")"] = "the kernel's indented plain-text tree of an object is not reproduced",
        ["var d = display(1); d.Update(2);"] = "nbclient kept the first value; the engine records the updated one, as VS Code shows it (see FormatterTests)",
    };

    [Theory]
    [InlineData("display-basics.ipynb")]
    [InlineData("display-collections.ipynb")]
    public async Task Every_cell_gives_the_real_kernels_MIME_bundle(string notebook)
    {
        var real = IpynbFormat.Read(NotebookHarness.TestData("real-kernel", notebook));
        var kernel = new CSharpKernel(NotebookHarness.Scratch());
        var mismatches = new List<string>();
        int compared = 0, count = 0;
        try
        {
            foreach (var cell in real.Cells.Where(c => c.IsCode))
            {
                var run = await kernel.RunAsync(cell.Source, $"cell{++count}.csx", count);
                if (NotCompared.ContainsKey(cell.Source)) continue;
                var expected = Bundles(cell.Outputs).ToList();
                var actual = Bundles(run.Outputs).ToList();
                if (expected.Count != actual.Count)
                {
                    mismatches.Add($"«{cell.Source}»: {expected.Count} displays from the kernel, {actual.Count} from the engine ({run.Error?.Value})");
                    continue;
                }
                for (int i = 0; i < expected.Count; i++)
                    foreach (var (mime, text) in expected[i])
                    {
                        compared++;
                        var mine = actual[i].GetValueOrDefault(mime);
                        if (mine != text) mismatches.Add($"«{cell.Source}» {mime}:\n  kernel: {text}\n  engine: {mine ?? "(none)"}");
                    }
            }
        }
        finally { LossLab.Notebooks.Formatting.Formatter.ResetToDefault(); }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.True(compared >= 10, $"only {compared} representations compared");
    }

    /// <summary>The display and result outputs as MIME type → text, without the kernel's one-off bootstrap script.</summary>
    static IEnumerable<Dictionary<string, string>> Bundles(JsonArray outputs) =>
        outputs.Where(o => o!["data"] is JsonObject)
            .Select(o => o!["data"]!.AsObject().ToDictionary(p => p.Key, p => JsonText.JoinLines(p.Value)))
            .Where(d => !d.Values.Any(v => v.Contains("dotnet-interactive-this-cell", StringComparison.Ordinal)));
}
