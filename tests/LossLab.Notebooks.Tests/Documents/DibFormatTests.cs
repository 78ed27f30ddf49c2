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
