using System.Text.Json.Nodes;
using LossLab.Notebooks.Documents;
using LossLab.Notebooks.Execution;
using static LossLab.Notebooks.Tests.NotebookHarness;

namespace LossLab.Notebooks.Tests.Execution;

[Collection("Engine")]
public class ExecutionTests
{
    static JsonObject Papermill(NotebookCell cell) => (JsonObject)cell.Metadata["papermill"]!;

    [Fact]
    public async Task A_string_parameter_cannot_inject_code_and_arrives_unchanged()
    {
        const string Hostile = "\"; System.IO.File.WriteAllText(\"pwned\", \"\"); //";
        var input = WriteNotebook(Notebook(
            Code("string Name = \"world\"; // who to greet", "parameters"),
            Code("Console.Write(Name);")));
        var folder = Path.GetDirectoryName(input)!;

        var (result, output) = await RunAsync(input, new ParameterOverrides().Add("Name", Hostile));

        Assert.True(result.Succeeded, result.Failure?.Describe());
        Assert.Equal(Hostile, Text(output.Cells[^1].Outputs[0]));
        Assert.False(File.Exists(Path.Combine(folder, "pwned")));
        Assert.False(File.Exists("pwned"));
    }

    [Fact]
    public async Task Typed_parameters_are_injected_after_the_parameters_cell_and_replaced_on_a_rerun()
    {
        var input = WriteNotebook(Notebook(
            Markdown("# Title"),
            Code("string Scale = \"default\";\nint Epochs = 10;\ndouble[] Lrs = new double[] { 0.1 };", "parameters"),
            Code("Console.Write($\"{Scale} {Epochs} {Lrs.Sum()} {Epochs.GetType().Name}\");")));

        var (first, output) = await RunAsync(input, new ParameterOverrides().Add("Epochs", "3").AddYaml("Lrs: [0.5, 0.25]"), scale: "smoke");
        var (second, rerun) = await RunAsync(first.OutputPath, new ParameterOverrides().Add("Epochs", "4"));

        Assert.True(first.Succeeded && second.Succeeded);
        Assert.Equal("// Parameters\nstring Scale = \"smoke\";\nint Epochs = 3;\ndouble[] Lrs = new double[] { 0.5, 0.25 };", output.Cells[2].Source);
        Assert.Equal(["injected-parameters"], output.Cells[2].Tags);
        Assert.Equal("smoke 3 0.75 Int32", Text(output.Cells[3].Outputs[0]));
        Assert.Single(rerun.Cells, c => c.HasTag("injected-parameters"));
        Assert.Equal("default 4 0.1 Int32", Text(rerun.Cells[3].Outputs[0]));
        var record = (JsonObject)output.Metadata["papermill"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"Scale": "smoke", "Epochs": 3, "Lrs": [0.5, 0.25]}"""), record["parameters"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"Scale": "default", "Epochs": 10, "Lrs": [0.1]}"""), record["default_parameters"]));
        Assert.Equal("smoke", output.Metadata["losslab"]!["scale"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bad_parameter_fails_before_any_cell_runs_or_anything_is_written()
    {
        var input = WriteNotebook(Notebook(Code("int Epochs = 10;", "parameters"), Code("System.IO.File.WriteAllText(\"ran.txt\", \"\");")));
        var output = Path.Combine(Scratch(), "out.ipynb");

        var e = await Assert.ThrowsAsync<ParameterException>(() => NotebookRunner.RunAsync(new RunOptions
        {
            InputPath = input, OutputPath = output, Parameters = new ParameterOverrides().Add("Epochs", "2.5"),
        }));

        Assert.Equal("-p Epochs: expects a int, got '2.5'.", e.Message);
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(input)!, "ran.txt")));
    }

    [Fact]
    public async Task The_execution_record_stamps_the_notebook_and_every_cell()
    {
        var input = WriteNotebook(Notebook(Markdown("# T"), Code("int N = 2;", "parameters"), Code("N * 21")));

        var (result, output) = await RunAsync(input);

        var nb = (JsonObject)output.Metadata["papermill"]!;
        Assert.Equal(["default_parameters", "duration", "end_time", "environment_variables", "exception", "input_path", "output_path", "parameters", "start_time", "version"],
            nb.Select(p => p.Key));
        Assert.False(nb["exception"]!.GetValue<bool>());
        Assert.Equal(input, nb["input_path"]!.GetValue<string>());
        Assert.True(DateTimeOffset.Parse(nb["end_time"]!.GetValue<string>()) >= DateTimeOffset.Parse(nb["start_time"]!.GetValue<string>()));
        Assert.All(output.Cells, c => Assert.Equal("completed", Papermill(c)["status"]!.GetValue<string>()));
        var cell = Papermill(output.Cells[2]);
        Assert.False(cell["exception"]!.GetValue<bool>());
        Assert.InRange(cell["duration"]!.GetValue<double>(), 0, 60);
        Assert.Equal("42", Text(output.Cells[2].Outputs[0]));
        Assert.Equal(2, output.Cells[2].ExecutionCount);
        Assert.Equal(2, result.CellsRun);
        Assert.Empty(JsonSchemaValidator.Load(TestData("schema", "nbformat.v4.5.schema.json")).Validate(JsonNode.Parse(File.ReadAllText(result.OutputPath))));
    }

    [Fact]
    public async Task The_output_notebook_is_saved_after_every_cell()
    {
        var outputPath = Path.Combine(Scratch(), "partial.ipynb");
        var input = WriteNotebook(Notebook(
            Code("string OutputPath = \"\";", "parameters"),
            Code("Console.Write(\"first-cell-output\");"),
            Code("var saved = LossLab.Notebooks.Documents.IpynbFormat.Read(OutputPath);\nsaved.Cells[2].Outputs.Count + \" \" + saved.Cells[3].Metadata[\"papermill\"]![\"status\"]")));

        var result = await NotebookRunner.RunAsync(new RunOptions { InputPath = input, OutputPath = outputPath, Parameters = new ParameterOverrides().Add("OutputPath", outputPath) });

        Assert.True(result.Succeeded, result.Failure?.Describe());
        Assert.Equal("1 running", Text(IpynbFormat.Read(outputPath).Cells[^1].Outputs[0]));
    }

    [Fact]
    public async Task The_first_error_stops_the_run_and_is_marked_as_papermill_does()
    {
        var input = WriteNotebook(Notebook(Code("var a = 1;"), Code("var b = 2;\nthrow new InvalidOperationException(\"diverged\");"), Code("Console.Write(\"never\");")));

        var (result, output) = await RunAsync(input);

        Assert.False(result.Succeeded);
        Assert.Equal("cell 2 (In [2]), id " + output.Cells[3].Id + ": System.InvalidOperationException: diverged", result.Failure!.Describe());
        Assert.Equal(5, output.Cells.Count);
        Assert.Equal(["papermill-error-cell-tag"], output.Cells[0].Tags);
        Assert.Contains("<a href=\"#papermill-error-cell\">In [2]</a>", output.Cells[0].Source);
        Assert.Contains("id=\"papermill-error-cell\"", output.Cells[2].Source);
        Assert.Equal("failed", Papermill(output.Cells[3])["status"]!.GetValue<string>());
        Assert.True(Papermill(output.Cells[3])["exception"]!.GetValue<bool>());
        Assert.Equal("pending", Papermill(output.Cells[4])["status"]!.GetValue<string>());
        Assert.Empty(output.Cells[4].Outputs);
        Assert.True(output.Metadata["papermill"]!["exception"]!.GetValue<bool>());
        var error = output.Cells[3].Outputs[^1]!;
        Assert.Equal("System.InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Contains("cell2.csx:line 2", error["traceback"]!.ToJsonString());

        var (again, rerun) = await RunAsync(result.OutputPath);
        Assert.Equal(2, rerun.Cells.Count(c => c.HasTag("papermill-error-cell-tag")));   // old markers removed, new ones added once
    }

    [Fact]
    public async Task Allowed_errors_raises_exception_and_skip_execution_tags_are_honoured()
    {
        var input = WriteNotebook(Notebook(
            Code("throw new ArgumentException(\"expected\");", "raises-exception"),
            Code("System.IO.File.WriteAllText(\"skipped.txt\", \"\");", "skip-execution"),
            Code("throw new Exception(\"allowed\");"),
            Code("Console.Write(\"went on\");")));

        var (strict, strictOut) = await RunAsync(input);
        var (lenient, output) = await RunAsync(input, allowErrors: true);

        Assert.Equal("System.Exception: allowed", strict.Failure!.Describe()[(strict.Failure.Describe().IndexOf(": ", StringComparison.Ordinal) + 2)..]);
        Assert.Equal("completed", Papermill(strictOut.Cells[2])["status"]!.GetValue<string>());
        Assert.True(lenient.Succeeded);
        Assert.Equal(1, lenient.AllowedErrors);
        Assert.Equal("went on", Text(output.Cells[^1].Outputs[0]));
        Assert.Null(output.Cells[1].ExecutionCount);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(input)!, "skipped.txt")));
        Assert.Equal("failed", Papermill(output.Cells[2])["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_cell_over_the_execution_timeout_fails_the_run()
    {
        var input = WriteNotebook(Notebook(Code("System.Threading.Thread.Sleep(3000);"), Code("1")));

        var (result, output) = await RunAsync(input, allowErrors: true, timeout: TimeSpan.FromMilliseconds(400));

        Assert.Equal("TimeoutError", result.Failure!.Name);
        Assert.Null(output.Cells[^1].ExecutionCount);
    }

    [Fact]
    public async Task A_cell_for_another_kernel_is_an_unsupported_kernel_error()
    {
        var input = WriteNotebook(Notebook(Code("#!fsharp\nlet x = 1")));
        var (result, _) = await RunAsync(input);
        Assert.Equal("UnsupportedKernelError", result.Failure!.Name);
        Assert.Contains("'fsharp' kernel", result.Failure.Value);
    }
}
