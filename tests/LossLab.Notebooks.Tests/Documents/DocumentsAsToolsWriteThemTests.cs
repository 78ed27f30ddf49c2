using System.Text;
using System.Text.Json.Nodes;
using LossLab.Notebooks.Documents;
using LossLab.Notebooks.Execution;

namespace LossLab.Notebooks.Tests.Documents;

/// <summary>Documents as the tools write them (issue 15, point 4): Polyglot's <c>language_info</c>, Windows line endings,
/// and .dib files as dotnet/interactive's <c>CodeSubmission</c> reads and writes them.</summary>
public class DocumentsAsToolsWriteThemTests
{
    public static TheoryData<string> PublicNotebooks()
    {
        var data = new TheoryData<string>();
        var root = NotebookHarness.TestData("corpus");
        foreach (var path in Directory.EnumerateFiles(root, "*.ipynb", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(root, path));
        return data;
    }

    [Theory]
    [MemberData(nameof(PublicNotebooks))]
    public void A_public_notebook_is_written_back_byte_for_byte(string relativePath)
    {
        var path = NotebookHarness.TestData("corpus", relativePath);
        var original = File.ReadAllBytes(path);

        var written = Encoding.UTF8.GetBytes(IpynbFormat.Write(IpynbFormat.Read(path)));

        Assert.True(original.AsSpan().SequenceEqual(written), $"{relativePath}: {FirstDifference(original, written)}");
    }

    [Fact]
    public void The_corpus_holds_notebooks_saved_with_Windows_line_endings()
    {
        // the round trip above covers CRLF only if some of its files have it
        var crlf = Directory.EnumerateFiles(NotebookHarness.TestData("corpus"), "*.ipynb", SearchOption.AllDirectories).Count(p => File.ReadAllText(p).Contains("\r\n"));
        Assert.Equal(3, crlf);
    }

    [Fact]
    public void A_CRLF_notebook_keeps_CRLF_after_an_edit()
    {
        var path = NotebookHarness.TestData("corpus", "csharp-notebooks", "notebook-getting-started", "01-What are Notebooks.ipynb");
        var document = IpynbFormat.Read(path);
        document.Cells[0].Source = "# Changed\nTwo lines";

        var text = IpynbFormat.Write(document);

        Assert.DoesNotContain('\n', text.Replace("\r\n", ""));
        Assert.Equal("# Changed\nTwo lines", IpynbFormat.Parse(text).Cells[0].Source);
    }

    [Theory]
    [InlineData("C#")]
    [InlineData("polyglot-notebook")]
    public void Check_accepts_the_language_info_names_Polyglot_writes(string name)
    {
        var path = NotebookHarness.WriteNotebook(LossLabNotebook(name));
        Assert.Empty(NotebookChecks.Check(path));
    }

    [Fact]
    public void Check_still_refuses_a_python_language_info()
    {
        var path = NotebookHarness.WriteNotebook(LossLabNotebook("python"));
        Assert.Contains(NotebookChecks.Check(path), p => p.Contains("language_info.name", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_executed_notebook_carries_the_language_info_of_a_CSharp_kernel()
    {
        // nbclient replaces language_info by the kernel's kernel_info reply; dotnet-interactive 1.0.712001 answers
        // {file_extension .cs, mimetype text/x-csharp, name C#, pygments_lexer csharp, version "13.0"}.
        var input = NotebookHarness.WriteNotebook(LossLabNotebook("polyglot-notebook"));
        var (result, output) = await NotebookHarness.RunAsync(input);

        Assert.True(result.Succeeded, result.Failure?.Describe());
        var info = output.Metadata["language_info"]!.AsObject();
        Assert.Equal(["file_extension", "mimetype", "name", "pygments_lexer", "version"], info.Select(p => p.Key));
        Assert.Equal(".cs", (string)info["file_extension"]!);
        Assert.Equal("text/x-csharp", (string)info["mimetype"]!);
        Assert.Equal("C#", (string)info["name"]!);
        Assert.Equal("csharp", (string)info["pygments_lexer"]!);
        var compiler = Microsoft.CodeAnalysis.CSharp.LanguageVersionFacts.MapSpecifiedToEffectiveVersion(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest);
        Assert.Equal(Microsoft.CodeAnalysis.CSharp.LanguageVersionFacts.ToDisplayString(compiler), (string)info["version"]!);   // "14.0": the C# the engine compiles
    }

    static string LossLabNotebook(string languageInfoName)
    {
        var text = NotebookHarness.Notebook(NotebookHarness.Code("string Scale = \"smoke\";", "parameters"), NotebookHarness.Code("Console.WriteLine(Scale);"));
        var json = JsonNode.Parse(text)!;
        json["metadata"]!["language_info"] = new JsonObject { ["name"] = languageInfoName };
        return JsonText.Write(json) + "\n";
    }

    static string FirstDifference(byte[] a, byte[] b)
    {
        int i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        string Around(byte[] x) => Encoding.UTF8.GetString(x, Math.Max(0, i - 40), Math.Min(x.Length, i + 40) - Math.Max(0, i - 40)).Replace("\r", "\\r").Replace("\n", "\\n");
        return $"first difference at byte {i} of {a.Length}/{b.Length}: read «{Around(a)}» wrote «{Around(b)}»";
    }
}
