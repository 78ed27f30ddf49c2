using System.Text.Json.Nodes;
using LossLab.Notebooks.Documents;
using LossLab.Notebooks.Kernel;

namespace LossLab.Notebooks.Tests.Kernel;

[Collection("Engine")]
public class CSharpKernelTests
{
    static string Text(JsonNode? output, string mime = "text/plain") =>
        output!["output_type"]!.GetValue<string>() == "stream" ? JsonText.JoinLines(output["text"]) : JsonText.JoinLines(output["data"]![mime]);

    static string Kind(JsonNode? output) => output!["output_type"]!.GetValue<string>();

    [Fact]
    public async Task State_streams_and_the_trailing_expression_carry_over_as_in_Polyglot()
    {
        var kernel = new CSharpKernel(NotebookHarness.Scratch());

        var first = await kernel.RunAsync("record Point(int X, int Y);\nint Twice(int v) => 2 * v;\nvar p = new Point(1, 2);\nConsole.Write(\"out \");\nConsole.Error.WriteLine(\"err\");\nConsole.WriteLine(\"more\");", "cell1.csx", 1);
        var second = await kernel.RunAsync("var q = Twice(new Point(1, 2).Y + 1);\nvar p = q + 0;\np * 7", "cell2.csx", 2);
        var third = await kernel.RunAsync("p++;", "cell3.csx", 3);

        Assert.Null(first.Error);
        Assert.Equal(["stream", "stream", "stream"], first.Outputs.Select(Kind));
        Assert.Equal("out ", Text(first.Outputs[0]));
        Assert.Equal("err\n", Text(first.Outputs[1]));
        Assert.Equal("stderr", first.Outputs[1]!["name"]!.GetValue<string>());
        Assert.Equal("more\n", Text(first.Outputs[2]));
        var result = Assert.Single(second.Outputs);
        Assert.Equal("execute_result", Kind(result));
        Assert.Equal(2, result!["execution_count"]!.GetValue<int>());
        Assert.Equal("42", Text(result));
        Assert.Empty(third.Outputs);
    }

    [Fact]
    public async Task Compile_errors_give_the_cells_own_line_numbers_even_after_directives()
    {
        var kernel = new CSharpKernel(NotebookHarness.Scratch());
        var run = await kernel.RunAsync("#r \"nuget: MathNet.Numerics, 5.0.0\"\nvar a = 1;\nvar b = undefinedName;", "cell4.csx", 1);

        Assert.Equal("CompilationError", run.Error!.Name);
        Assert.StartsWith("cell4.csx(3,9): error CS0103: The name 'undefinedName' does not exist", run.Error.Value);
        Assert.Equal("error", Kind(run.Outputs[^1]));
    }

    [Fact]
    public async Task Stack_traces_point_at_cell_lines_without_the_notebook_folder()
    {
        var folder = NotebookHarness.Scratch();
        var kernel = new CSharpKernel(folder);
        await kernel.RunAsync("int Fail(int[] xs)\n{\n    return xs[5];\n}", "cell2.csx", 1);
        var run = await kernel.RunAsync("var xs = new int[2];\n\nFail(xs);", "cell3.csx", 2);

        Assert.Equal("System.IndexOutOfRangeException", run.Error!.Name);
        var trace = string.Join("\n", run.Error.Traceback);
        Assert.Contains("in cell2.csx:line 3", trace);
        Assert.Contains("in cell3.csx:line 3", trace);
        Assert.DoesNotContain(folder, trace);
        Assert.DoesNotContain("Microsoft.CodeAnalysis.Scripting", trace);
    }

    [Fact]
    public async Task A_libtorch_error_is_reported_by_its_first_line_op_and_source_without_native_frames()
    {
        var kernel = new CSharpKernel(NotebookHarness.Scratch());
        var run = await kernel.RunAsync("var a = TorchSharp.torch.ones(2, 3);\nvar b = a.add(TorchSharp.torch.ones(4, 5));", "cell4.csx", 1);

        Assert.Equal("System.Runtime.InteropServices.ExternalException", run.Error!.Name);
        Assert.StartsWith("The size of tensor a (3) must match the size of tensor b (5) at non-singleton dimension 1", run.Error.Value);
        Assert.Contains("op: add", run.Error.Value);
        Assert.Contains("ExpandUtils.cpp", run.Error.Value);
        Assert.DoesNotContain("\n", run.Error.Value);
        var trace = string.Join("\n", run.Error.Traceback);
        Assert.DoesNotContain("frame #", trace);
        Assert.DoesNotContain("libc10.so", trace);
        Assert.Contains("in cell4.csx:line 2", trace);
        Assert.True(run.Error.Traceback.Count < 15, $"{run.Error.Traceback.Count} traceback lines:\n{trace}");
    }

    [Fact]
    public async Task Cells_run_in_the_notebook_folder_and_variables_assigned_before_an_exception_survive()
    {
        var folder = NotebookHarness.Scratch();
        var kernel = new CSharpKernel(folder);
        var failed = await kernel.RunAsync("var a = 5;\nSystem.IO.File.WriteAllText(\"here.txt\", Environment.CurrentDirectory);\nthrow new InvalidOperationException(\"boom\");", "cell1.csx", 1);
        var after = await kernel.RunAsync("a + 1", "cell2.csx", 2);

        Assert.Equal("boom", failed.Error!.Value);
        Assert.Equal(folder, File.ReadAllText(Path.Combine(folder, "here.txt")));
        Assert.Equal("6", Text(after.Outputs[0]));
        Assert.NotEqual(folder, Environment.CurrentDirectory);
    }

    [Fact]
    public async Task Display_DisplayAs_Update_and_a_registered_formatter_produce_display_data_in_order()
    {
        var kernel = new CSharpKernel(NotebookHarness.Scratch());
        var run = await kernel.RunAsync("""
            record Money(decimal Amount);
            Formatter.Register<Money>(m => $"<b>{m.Amount} EUR</b>", "text/html");
            display(new Money(3));
            Console.WriteLine("between");
            "**bold**".DisplayAs("text/markdown");
            var shown = 1.Display("text/plain");
            shown.Update(2);
            new Money(4).Display();
            """, "cell1.csx", 1);

        Assert.Null(run.Error);
        Assert.Equal(["display_data", "stream", "display_data", "display_data", "display_data"], run.Outputs.Select(Kind));
        Assert.Equal("<b>3 EUR</b>", Text(run.Outputs[0], "text/html"));
        Assert.Equal("Money { Amount = 3 }", Text(run.Outputs[0]));
        Assert.Equal("**bold**", Text(run.Outputs[2], "text/markdown"));
        Assert.Equal("2", Text(run.Outputs[3]));
        Assert.Null(run.Outputs[3]!["data"]!["text/html"]);
        Assert.Equal("<b>4 EUR</b>", Text(run.Outputs[4], "text/html"));
        LossLab.Notebooks.Formatting.Formatter.ResetToDefault();
    }

    [Fact]
    public async Task Shipped_packages_satisfy_nuget_references_and_incompatible_versions_of_them_get_a_clear_error()
    {
        var kernel = new CSharpKernel(NotebookHarness.Scratch());
        var ok = await kernel.RunAsync("#r \"nuget: TorchSharp-cpu, 0.107.0\"\n#r \"nuget: Plotly.NET.Interactive, 3.0.2\"\n#r \"nuget:Deedle\"\n#r \"nuget: libtorch-cpu-linux-x64, 2.10.0\"\n1", "cell1.csx", 1);
        var tooNew = await kernel.RunAsync("var x = 1;\n#r \"nuget: Plotly.NET, 7.0.0\"", "cell3.csx", 3);
        var older = await kernel.RunAsync("#r \"nuget: Plotly.NET, 4.2.0\"", "cell4.csx", 4);

        Assert.Null(ok.Error);
        Assert.Equal("cell3.csx(2): #r \"nuget: Plotly.NET\": 'Plotly.NET' 7.0.0 is not compatible with the Plotly.NET 6.0.0 that LossLab's engine ships; pin Plotly.NET 6.0.0 (or another version with the same major version, not newer).",
            tooNew.Error!.Traceback[0]);
        Assert.NotNull(older.Error);
    }

    [Fact]
    public async Task A_reference_to_an_already_loaded_assembly_reuses_it_and_a_missing_dll_names_the_resolved_path()
    {
        var folder = NotebookHarness.Scratch();
        var kernel = new CSharpKernel(folder);
        var reuse = await kernel.RunAsync("#r \"../../lib/LossLab/bin/Release/net10.0/LossLab.dll\"\ntypeof(LossLab.Experiments.Claims).Assembly.Location", "cell1.csx", 1);
        var missing = await kernel.RunAsync("#r \"libs/Missing.dll\"", "cell2.csx", 2);

        Assert.Equal(typeof(LossLab.Experiments.Claims).Assembly.Location, Text(reuse.Outputs[0]));
        Assert.Contains($"no such file: {Path.Combine(folder, "libs", "Missing.dll")}", missing.Error!.Value);
    }

    [Fact]
    public async Task A_dll_is_referenced_relative_to_the_notebook_folder()
    {
        var folder = NotebookHarness.Scratch();
        Directory.CreateDirectory(Path.Combine(folder, "libs"));
        var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("namespace Extra { public static class Answer { public static int Value => 41 + 1; } }");
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("ExtraLib", [tree],
            [Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary));
        using (var dll = File.Create(Path.Combine(folder, "libs", "ExtraLib.dll"))) Assert.True(compilation.Emit(dll).Success);

        var run = await new CSharpKernel(folder).RunAsync("#r \"libs/ExtraLib.dll\"\nExtra.Answer.Value", "cell1.csx", 1);

        Assert.Null(run.Error);
        Assert.Equal("42", Text(run.Outputs[0]));
    }

    [Fact]
    public async Task Common_framework_namespaces_compile_and_others_are_one_framework_reference_away()
    {
        var kernel = new CSharpKernel(NotebookHarness.Scratch());
        var common = await kernel.RunAsync("using System.Text.RegularExpressions;\nusing System.Numerics;\nRegex.IsMatch(\"a1\", \"[0-9]\") + \" \" + BigInteger.Pow(2, 70)", "cell1.csx", 1);
        var framework = await kernel.RunAsync("#r \"System.Formats.Tar.dll\"\ntypeof(System.Formats.Tar.TarEntryType).Name", "cell2.csx", 2);

        Assert.Equal("True 1180591620717411303424", Text(common.Outputs[0]));
        Assert.Null(framework.Error);
        Assert.Equal("TarEntryType", Text(framework.Outputs[0]));
    }

    [Theory]
    [InlineData("#!whatever\n1", "#!whatever: unknown magic command.")]
    [InlineData("#!set --name x --value 1", "#!set: this Polyglot magic command is not supported by LossLab's engine.")]
    [InlineData("var a = 1;\n#!fsharp\nlet b = 2", "#!fsharp: switching to the fsharp kernel inside a cell is not supported; LossLab runs C# cells only (put the kernel chooser on the cell's first line).")]
    [InlineData("#i \"/tmp/feed\"", "#i \"/tmp/feed\": #i adds a package source and takes the form #i \"nuget: SOURCE\" (a feed URL or a folder).")]
    public async Task Unknown_or_unsupported_magic_commands_are_clear_errors(string code, string message)
    {
        var run = await new CSharpKernel(NotebookHarness.Scratch()).RunAsync(code, "cell1.csx", 1);
        Assert.Equal(message, run.Error!.Value);
    }

    [Fact]
    public async Task Time_magic_reports_the_wall_time_as_Polyglot_does()
    {
        var run = await new CSharpKernel(NotebookHarness.Scratch()).RunAsync("#!time\nSystem.Threading.Thread.Sleep(30);", "cell1.csx", 1);
        var text = Text(Assert.Single(run.Outputs));
        Assert.Matches(@"^Wall time: \d+(\.\d+)?ms$", text);
        Assert.InRange(double.Parse(text[11..^2], System.Globalization.CultureInfo.InvariantCulture), 30, 5000);
    }

    [Fact]
    public async Task A_cell_over_its_timeout_fails_and_the_kernel_takes_no_more_cells()
    {
        var kernel = new CSharpKernel(NotebookHarness.Scratch());
        var run = await kernel.RunAsync("System.Threading.Thread.Sleep(3000);", "cell1.csx", 1, TimeSpan.FromMilliseconds(300));

        Assert.True(run.Error!.TimedOut);
        Assert.Equal("TimeoutError", run.Error.Name);
        Assert.True(kernel.IsDead);
        await Assert.ThrowsAsync<InvalidOperationException>(() => kernel.RunAsync("1", "cell2.csx", 2));
    }

    [Fact]
    public async Task Every_cell_runs_on_the_kernels_one_thread_so_torchs_per_thread_settings_carry_over()
    {
        var kernel = new CSharpKernel(NotebookHarness.Scratch());
        var first = await kernel.RunAsync("var id = Environment.CurrentManagedThreadId;\nTorchSharp.torch.set_num_threads(1);\nid", "cell1.csx", 1);
        var second = await kernel.RunAsync("await Task.Delay(20);\n$\"{Environment.CurrentManagedThreadId == id} {TorchSharp.torch.get_num_threads()}\"", "cell2.csx", 2);
        // another thread that ran torch with two threads does not change what the kernel's cells see
        await Task.Run(() => { TorchSharp.torch.set_num_threads(2); _ = TorchSharp.torch.ones(4).sum().item<float>(); });
        var third = await kernel.RunAsync("$\"{Environment.CurrentManagedThreadId == id} {TorchSharp.torch.get_num_threads()}\"", "cell3.csx", 3);
        Assert.Null(first.Error);
        Assert.Equal("True 1", Text(second.Outputs[0]));
        Assert.Equal("True 1", Text(third.Outputs[0]));
    }

    [Fact]
    public async Task The_torch_threads_variable_sets_torchs_thread_count()
    {
        var before = TorchSharp.torch.get_num_threads();
        Environment.SetEnvironmentVariable(CSharpKernel.TorchThreadsVariable, "1");
        try
        {
            var run = await new CSharpKernel(NotebookHarness.Scratch()).RunAsync("TorchSharp.torch.get_num_threads()", "cell1.csx", 1);
            Assert.Equal("1", Text(run.Outputs[0]));
        }
        finally
        {
            Environment.SetEnvironmentVariable(CSharpKernel.TorchThreadsVariable, null);
            TorchSharp.torch.set_num_threads(before);
        }
    }
}
