using LossLab.Notebooks.Documents;

namespace LossLab.Notebooks.Tests.Documents;

public class DibFormatTests
{
    const string Dib = """
        #!meta

        {"kernelInfo":{"defaultKernelName":"csharp","items":[{"name":"csharp","aliases":["cs","C#","c#"]},{"name":"fsharp","aliases":["fs","F#","f#"]}]}}

        #!markdown

        # Losses

        Some *markdown*.

        #!csharp

        #!time
        var x = 1;


        #!fsharp

        let y = 2

        #!c#

        x + 1
        """;

    [Fact]
    public void Dib_cells_are_split_on_kernel_lines_trimmed_and_keep_magic_commands()
    {
        var document = DibFormat.Parse(Dib);

        Assert.Equal(4, document.Cells.Count);
        Assert.Equal("markdown", document.Cells[0].CellType);
        Assert.Equal("# Losses\n\nSome *markdown*.", document.Cells[0].Source);
        Assert.Equal("#!time\nvar x = 1;", document.Cells[1].Source);
        Assert.Equal("csharp", document.Cells[1].KernelName);
        Assert.Equal("fsharp", document.Cells[2].KernelName);
        Assert.Equal("x + 1", document.Cells[3].Source);
        Assert.Equal("csharp", document.Cells[3].KernelName);
        Assert.Equal("fsharp", document.Metadata["polyglot_notebook"]!["kernelInfo"]!["items"]![1]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void A_dib_file_becomes_a_Polyglot_ipynb_that_validates()
    {
        var document = DibFormat.Parse(Dib);
        document.NormalizeForPolyglot();
        var json = System.Text.Json.Nodes.JsonNode.Parse(IpynbFormat.Write(document));
        Assert.Empty(JsonSchemaValidator.Load(NotebookHarness.TestData("schema", "nbformat.v4.5.schema.json")).Validate(json));
    }

    [Fact]
    public void A_broken_meta_block_names_the_file_and_line()
    {
        var e = Assert.Throws<NotebookFormatException>(() => DibFormat.Parse("#!meta\n\n{not json\n\n#!csharp\n\n1", "x.dib"));
        Assert.StartsWith("x.dib: line 3:", e.Message);
    }
}

/// <summary>.dib as dotnet/interactive's <c>CodeSubmission</c> reads and writes it: cells split only on <c>#!kernel</c> at
/// column 0, only the first <c>#!meta</c> block read (its JSON may span lines), written back in the same layout.</summary>
public class DibSplittingAndWritingTests
{
    [Fact]
    public void An_indented_kernel_line_does_not_split_the_cell()
    {
        var document = DibFormat.Parse("#!csharp\n\nvar s = @\"\n  #!fsharp\n\";\ns.Length\n");

        var cell = Assert.Single(document.Cells);
        Assert.Equal("csharp", cell.KernelName);
        Assert.Equal("var s = @\"\n  #!fsharp\n\";\ns.Length", cell.Source);
    }

    [Fact]
    public void The_first_meta_block_may_span_lines_and_a_later_meta_line_stays_in_its_cell()
    {
        var text = "#!meta\n\n{\"kernelInfo\": {\"defaultKernelName\": \"fsharp\",\n  \"items\": [{\"name\": \"fsharp\", \"aliases\": []}, {\"name\": \"csharp\", \"aliases\": []}]}}\n\n" +
                   "#!time\nlet a = 1\n\n#!csharp\n\n#!meta\n\n{\"kernelInfo\": {\"defaultKernelName\": \"pwsh\"}}\n";
        var document = DibFormat.Parse(text);

        // the JSON runs to the next #! line (here a magic command, which opens a cell in the default kernel, F#)
        Assert.Equal(2, document.Cells.Count);
        Assert.Equal("fsharp", document.Cells[0].KernelName);
        Assert.Equal("#!time\nlet a = 1", document.Cells[0].Source);
        Assert.Equal("fsharp", (string)document.Metadata["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!);
        // the second #!meta is not a kernel: a magic line of the C# cell, as Polyglot keeps it
        Assert.Equal("csharp", document.Cells[1].KernelName);
        Assert.Equal("#!meta\n\n{\"kernelInfo\": {\"defaultKernelName\": \"pwsh\"}}", document.Cells[1].Source);
    }

    /// <summary>dotnet/interactive's approved round-trip fixture
    /// (CodeSubmissionFormatTests.dib_file_can_be_round_tripped_through_read_and_write_without_the_content_changing).</summary>
    const string Approved = "#!meta\n\n" +
        "{\"kernelInfo\":{\"defaultKernelName\":\"csharp\",\"items\":[{\"name\":\"csharp\",\"aliases\":[\"cs\",\"C#\",\"c#\"]},{\"name\":\"fsharp\",\"aliases\":[\"fs\",\"F#\",\"f#\"]}]}}\n\n" +
        "#!markdown\n\n* Markdown code\n\n#!csharp\n\n// C# code\n\n#!fsharp\n\n// F# code\n";

    [Fact]
    public void A_dib_file_is_written_back_unchanged()
    {
        Assert.Equal(Approved, DibFormat.Write(DibFormat.Parse(Approved)));
    }

    [Fact]
    public void A_dib_file_with_CRLF_is_written_back_unchanged()
    {
        var crlf = Approved.Replace("\n", "\r\n");
        Assert.Equal(crlf, DibFormat.Write(DibFormat.Parse(crlf)));
    }

    [Fact]
    public void An_ipynb_notebook_is_written_as_dib_with_its_kernel_info_and_without_outputs()
    {
        var document = IpynbFormat.Read(NotebookHarness.TestData("vscode", "saved-by-vscode.ipynb"));
        var dib = DibFormat.Write(document);

        Assert.StartsWith("#!meta\n\n{\"kernelInfo\":{\"defaultKernelName\":\"csharp\",\"items\":[{\"aliases\":[],\"name\":\"csharp\"}]}}\n\n#!markdown\n\n", dib);
        var back = DibFormat.Parse(dib);
        var cells = document.Cells.Where(c => c.Source.Trim().Length > 0).ToList();   // Polyglot drops empty cells in .dib
        Assert.Equal(cells.Select(c => (c.KernelName, c.Source.Trim('\n'))), back.Cells.Select(c => (c.KernelName, c.Source)));
    }

    [Fact]
    public void Saving_by_extension_writes_dib_or_ipynb()
    {
        var document = DibFormat.Parse(Approved);
        var folder = NotebookHarness.Scratch();
        NotebookFile.Save(document, Path.Combine(folder, "a.dib"));
        NotebookFile.Save(document, Path.Combine(folder, "a.ipynb"));

        Assert.Equal(Approved, File.ReadAllText(Path.Combine(folder, "a.dib")));
        Assert.Equal(3, IpynbFormat.Read(Path.Combine(folder, "a.ipynb")).Cells.Count);
    }
}
