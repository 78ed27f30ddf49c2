using System.Text;
using System.Text.Json.Nodes;
using LossLab.Notebooks.Documents;

namespace LossLab.Notebooks.Tests.Documents;

public class IpynbFormatTests
{
    static readonly JsonSchemaValidator Schema = JsonSchemaValidator.Load(NotebookHarness.TestData("schema", "nbformat.v4.5.schema.json"));

    [Fact]
    public void A_notebook_saved_by_VS_Code_is_written_back_byte_for_byte()
    {
        var path = NotebookHarness.TestData("vscode", "saved-by-vscode.ipynb");
        var original = File.ReadAllBytes(path);

        var written = Encoding.UTF8.GetBytes(IpynbFormat.Write(IpynbFormat.Read(path)));

        Assert.Equal(original, written);
    }

    [Fact]
    public void Written_text_keeps_non_ASCII_and_escapes_control_characters_in_lower_case_as_JSON_stringify_does()
    {
        var obj = new JsonObject { ["s"] = "é 🙂 \u001b \"q\" \\ \t" };
        Assert.Equal("{\n \"s\": \"é 🙂 \\u001b \\\"q\\\" \\\\ \\t\"\n}", JsonText.Write(obj, 1));
        Assert.Equal("{\"s\":[]}", JsonText.Write(new JsonObject { ["s"] = new JsonArray() }, 0));
    }

    [Fact]
    public void Cells_and_unknown_metadata_survive_a_round_trip()
    {
        var document = IpynbFormat.Read(NotebookHarness.TestData("vscode", "saved-by-vscode.ipynb"));

        Assert.Equal(6, document.Cells.Count);
        Assert.Equal(["parameters"], document.Cells[1].Tags);
        Assert.Equal("int Epochs = 3; // passes over the data", document.Cells[1].Source);
        Assert.Equal("polyglot-notebook", document.Cells[1].Metadata["vscode"]!["languageId"]!.GetValue<string>());
        Assert.All(document.Cells.Where(c => c.IsCode), c => Assert.Equal("csharp", c.KernelName));
        Assert.Equal("", document.Cells[5].Source);
    }

    [Fact]
    public void An_executed_notebook_validates_against_the_nbformat_4_5_schema()
    {
        var document = IpynbFormat.Read(NotebookHarness.TestData("vscode", "saved-by-vscode.ipynb"));
        document.NormalizeForPolyglot();
        document.Cells[2].Outputs.Add(CellOutputs.ExecuteResult(7, [new("text/plain", "42")]));

        var json = JsonNode.Parse(IpynbFormat.Write(document));

        Assert.Empty(Schema.Validate(json));
    }

    [Fact]
    public void The_schema_check_rejects_a_cell_without_id_and_an_unknown_output_type()
    {
        var document = IpynbFormat.Read(NotebookHarness.TestData("vscode", "saved-by-vscode.ipynb"));
        var json = JsonNode.Parse(IpynbFormat.Write(document))!;
        Assert.Contains(Schema.Validate(json), e => e.StartsWith("$.cells[0]:", StringComparison.Ordinal));   // VS Code wrote no id on the markdown cell

        document.NormalizeForPolyglot();
        document.Cells[2].Outputs.Add(new JsonObject { ["output_type"] = "banner", ["text"] = "x" });
        Assert.NotEmpty(Schema.Validate(JsonNode.Parse(IpynbFormat.Write(document))));
    }

    [Fact]
    public void An_nbformat_4_2_notebook_with_string_sources_is_upgraded_to_4_5_with_cell_ids()
    {
        var text = """
            {"cells": [{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": "var x = 1;\nx"},
                       {"cell_type": "markdown", "metadata": {}, "source": "# Title"}],
             "metadata": {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
                          "language_info": {"file_extension": ".cs", "mimetype": "text/x-csharp", "name": "C#", "pygments_lexer": "csharp", "version": "8.0"}},
             "nbformat": 4, "nbformat_minor": 2}
            """;
        var document = IpynbFormat.Parse(text);
        Assert.Equal("var x = 1;\nx", document.Cells[0].Source);
        Assert.Equal("csharp", document.Cells[0].KernelName);

        document.NormalizeForPolyglot();
        var json = JsonNode.Parse(IpynbFormat.Write(document))!;

        Assert.Empty(Schema.Validate(json));
        Assert.Equal(5, json["nbformat_minor"]!.GetValue<int>());
        Assert.Equal(new JsonArray("var x = 1;\n", "x").ToJsonString(), json["cells"]![0]!["source"]!.ToJsonString());
        Assert.Equal("csharp", json["cells"]![0]!["metadata"]!["polyglot_notebook"]!["kernelName"]!.GetValue<string>());
        Assert.Equal("8.0", json["metadata"]!["language_info"]!["version"]!.GetValue<string>());
        Assert.Equal("csharp", json["metadata"]!["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());
        Assert.All(json["cells"]!.AsArray(), c => Assert.Matches("^[0-9a-f]{8}$", c!["id"]!.GetValue<string>()));
    }

    [Fact]
    public void A_python_language_info_left_by_VS_Code_is_corrected_to_CSharp()
    {
        var document = IpynbFormat.Parse("""{"cells": [], "metadata": {"kernelspec": {"name": ".net-csharp"}, "language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 2}""");
        document.NormalizeForPolyglot();
        Assert.Equal("C#", document.Metadata["language_info"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"cells\": [", "not valid JSON at line 1")]
    [InlineData("[1, 2]", "the top level is not a JSON object")]
    [InlineData("{\"cells\": [], \"nbformat\": 3}", "nbformat must be 4")]
    [InlineData("{\"nbformat\": 4, \"nbformat_minor\": 5}", "no \"cells\" array")]
    [InlineData("{\"cells\": [{\"source\": []}], \"nbformat\": 4}", "cell 1 has no cell_type")]
    [InlineData("{\"cells\": [{\"cell_type\": \"code\", \"source\": 5}], \"nbformat\": 4}", "cell 1: source must be a string or an array of strings")]
    public void A_malformed_notebook_is_an_error_naming_the_file_and_the_problem(string text, string problem)
    {
        var path = NotebookHarness.WriteNotebook(text, "broken.ipynb");
        var e = Assert.Throws<NotebookFormatException>(() => NotebookFile.Read(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(problem, e.Message);
    }
}
