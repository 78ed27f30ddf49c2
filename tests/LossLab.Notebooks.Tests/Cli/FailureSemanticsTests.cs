using System.Diagnostics;
using System.Text.Json.Nodes;
using LossLab.Notebooks.Documents;
using static LossLab.Notebooks.Tests.Cli.LosslabCommandTests;
using static LossLab.Notebooks.Tests.NotebookHarness;

namespace LossLab.Notebooks.Tests.Cli;

/// <summary>
/// The reliability matrix of issue 20 ("a batch run never loses work"), one test per failure a batch run must survive, each
/// through <c>losslab run</c> as users run it: the exit code, the execution record (cell and notebook
/// <c>metadata.papermill</c>, error outputs) and that results written before the failure are still on disk. The README's
/// "Failure semantics" section states the contract these tests check. Rows already covered elsewhere:
/// <c>LosslabCommandTests.A_notebook_that_exits_its_process_fails_alone_…</c> (Environment.Exit),
/// <c>…A_run_that_would_overwrite_its_inputs_a_python_notebook_and_an_overflowing_number_…</c> (output = input, python3,
/// <c>-p Lr 1e400</c>), <c>…Params_lists_every_notebook_of_the_suite_array_types_included</c> (<c>losslab params</c>).
/// </summary>
[Collection("Engine")]
public class FailureSemanticsTests
{
    static string Before => "Console.Write(\"before\");";

    static NotebookDocument Executed(string root, params string[] path) => IpynbFormat.Read(Path.Combine([root, "artifacts", .. path]));

    static string Status(NotebookCell cell) => cell.Metadata["papermill"]!["status"]!.GetValue<string>();

    static bool NotebookException(NotebookDocument nb) => nb.Metadata["papermill"]!["exception"]?.GetValue<bool>() ?? false;

    static NotebookCell CodeCell(NotebookDocument nb, int k) => nb.Cells.Where(c => c.IsCode).ElementAt(k);

    [Fact]
    public async Task A_stream_past_the_output_limit_keeps_head_and_tail_in_the_notebook_and_the_whole_text_in_a_linked_side_file()
    {
        // 3,000 numbered lines (72,000 characters) against a limit of 2,000 characters.
        var root = Project(("nbs/loud.ipynb", Notebook(
            Code(Before),
            Code("for (int i = 0; i < 3000; i++) Console.WriteLine($\"line {i:0000} of the stream\");\nConsole.Error.Write(\"err\");"),
            Code("Console.Write(\"after\");"))));

        var (exit, stdout, stderr) = await Losslab(root, "run", "nbs", "--output-limit", "2000");

        Assert.True(exit == 0, stderr + stdout);
        var nb = Executed(root, "nbs", "loud.ipynb");
        Assert.Equal("before", Text(CodeCell(nb, 0).Outputs[0]));
        Assert.Equal("after", Text(CodeCell(nb, 2).Outputs[0]));
        var loud = CodeCell(nb, 1);
        Assert.Equal("completed", Status(loud));
        var kept = Text(loud.Outputs[0]);
        Assert.StartsWith("line 0000 of the stream\n", kept, StringComparison.Ordinal);
        Assert.EndsWith("line 2999 of the stream\n", kept, StringComparison.Ordinal);
        Assert.Contains("characters of stdout omitted here (72,000 characters, 3,000 lines in all); the whole stream is in loud.cell2.stdout.txt, beside this notebook]", kept);
        Assert.True(kept.Length < 2_300, $"{kept.Length} characters kept");
        Assert.Equal("err", Text(loud.Outputs[1]));   // stderr, short, whole and in order
        var link = (JsonObject)loud.Metadata["losslab"]!["streams"]![0]!;
        Assert.Equal("loud.cell2.stdout.txt", link["file"]!.GetValue<string>());
        Assert.Equal(72_000, link["characters"]!.GetValue<long>());
        var whole = string.Concat(Enumerable.Range(0, 3000).Select(i => $"line {i:0000} of the stream\n"));
        Assert.Equal(whole, File.ReadAllText(Path.Combine(root, "artifacts", "nbs", "loud.cell2.stdout.txt")));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "artifacts", "nbs"), "*.tmp"));
        // The site links the side file and carries a copy of it beside the page.
        var page = File.ReadAllText(Path.Combine(root, "artifacts", "site", "nbs", "loud.html"));
        Assert.Contains("<a href=\"loud.cell2.stdout.txt\">whole stdout (72,000 characters)", page);
        Assert.Equal(whole, File.ReadAllText(Path.Combine(root, "artifacts", "site", "nbs", "loud.cell2.stdout.txt")));
    }
}
