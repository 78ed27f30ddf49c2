using System.Text.Json.Nodes;
using LossLab.Notebooks.Site;
using static LossLab.Notebooks.Tests.NotebookHarness;

namespace LossLab.Notebooks.Tests.Site;

public class SiteTagsAndMergeTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), "losslab-sitetags-" + Guid.NewGuid().ToString("N"));
    public void Dispose() { try { Directory.Delete(root, true); } catch (IOException) { } }

    static JsonObject Ran(JsonObject cell, string stdout)
    {
        cell["execution_count"] = 1;
        cell["outputs"] = new JsonArray(new JsonObject { ["name"] = "stdout", ["output_type"] = "stream", ["text"] = stdout });
        return cell;
    }

    void Write(string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [Fact]
    public void Remove_and_hide_tags_and_source_hidden_shape_the_page()
    {
        var hidden = Ran(Code("var folded2 = 2;"), "OUT_OF_HIDDEN_SOURCE");
        hidden["metadata"]!["jupyter"] = new JsonObject { ["source_hidden"] = true };
        Write("run/c/tags.ipynb", Notebook(
            Markdown("# Tags"),
            Ran(Code("var plain = 0;"), "OUT_PLAIN"),
            Ran(Code("var removedCell = 1;", "remove-cell"), "OUT_OF_REMOVED_CELL"),
            Ran(Code("var removedInput = 1;", "remove-input"), "OUT_OF_REMOVED_INPUT"),
            Ran(Code("var foldedInput = 1;", "hide-input"), "OUT_OF_FOLDED_INPUT"),
            Ran(Code("var removedOutput = 1;", "remove-output"), "OUT_OF_REMOVED_OUTPUT"),
            Ran(Code("var foldedOutput = 1;", "hide-output"), "OUT_OF_FOLDED_OUTPUT"),
            hidden));
        var result = SiteRenderer.Render(Path.Combine(root, "run"), Path.Combine(root, "site"));
        var page = File.ReadAllText(Path.Combine(result.SiteDirectory, "c", "tags.html"));

        // remove-cell: neither code nor output
        Assert.DoesNotContain("removedCell", page);
        Assert.DoesNotContain("OUT_OF_REMOVED_CELL", page);
        // remove-input: the output without the code
        Assert.DoesNotContain("removedInput", page);
        Assert.Contains("OUT_OF_REMOVED_INPUT", page);
        // remove-output: the code without the output
        Assert.Contains("removedOutput", page);
        Assert.DoesNotContain("OUT_OF_REMOVED_OUTPUT", page);
        // seven code cells written, one removed whole, one without its input: five code blocks, one open per visible plain cell
        Assert.Equal(5, Count(page, "<details class=\"code\""));
        Assert.Equal(3, Count(page, "<details class=\"code\" open>"));   // plain, remove-output and hide-output
        // hide-input and jupyter.source_hidden: the code is there, folded (a closed <details>), the output shown
        Assert.Matches("<details class=\"code\"><summary>In \\[1\\]<span class=\"tag\">hide-input</span> <span class=\"first-line\">var foldedInput = 1; …</span>", page);
        Assert.Contains("<span class=\"first-line\">var folded2 = 2; …</span>", page);
        Assert.Contains("OUT_OF_FOLDED_INPUT", page);
        Assert.Contains("OUT_OF_HIDDEN_SOURCE", page);
        // hide-output: the output inside a closed <details>
        Assert.Matches("<details class=\"outputs\"><summary>Output</summary>\\n<div class=\"output\"><pre class=\"stdout\">OUT_OF_FOLDED_OUTPUT</pre></div>\\n</details>", page);
        Assert.Equal(1, Count(page, "<details class=\"outputs\">"));
    }

    static int Count(string text, string part)
    {
        int n = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }

    [Fact]
    public void Shard_folders_render_as_one_site_and_one_scoreboard_and_a_notebook_in_two_is_refused()
    {
        Write("shard1/a/one.ipynb", Notebook(Markdown("# One"), Ran(Code("var x = 1;"), "ONE")));
        Write("shard1/b/three.ipynb", Notebook(Markdown("# Three"), Ran(Code("var x = 3;"), "THREE")));
        Write("shard2/a/two.ipynb", Notebook(Markdown("# Two"), Ran(Code("var x = 2;"), "TWO")));
        var result = SiteRenderer.Render([Path.Combine(root, "shard1"), Path.Combine(root, "shard2")], Path.Combine(root, "merged", "site"));

        Assert.Equal(["a/one.ipynb", "a/two.ipynb", "b/three.ipynb"], result.Notebooks.Select(n => n.RelativePath).ToArray());
        Assert.Contains("TWO", File.ReadAllText(Path.Combine(result.SiteDirectory, "a", "two.html")));
        Assert.Contains("THREE", File.ReadAllText(Path.Combine(result.SiteDirectory, "b", "three.html")));
        var index = File.ReadAllText(result.IndexPath);
        foreach (var title in new[] { "One", "Two", "Three" }) Assert.Contains(title, index);
        var board = JsonNode.Parse(File.ReadAllText(Path.Combine(result.SiteDirectory, "scoreboard.json")))!;
        Assert.NotNull(board);
        Assert.True(File.Exists(Path.Combine(root, "merged", "scoreboard.json")));

        Write("shard2/b/three.ipynb", Notebook(Markdown("# Three again"), Ran(Code("var x = 3;"), "THREE")));
        var e = Assert.Throws<DuplicateNotebookException>(() =>
            SiteRenderer.Render([Path.Combine(root, "shard1"), Path.Combine(root, "shard2")], Path.Combine(root, "merged2", "site")));
        Assert.Contains("b/three.ipynb is in both", e.Message);
        Assert.Contains(Path.Combine(root, "shard1"), e.Message);
        Assert.Contains(Path.Combine(root, "shard2"), e.Message);
        Assert.False(Directory.Exists(Path.Combine(root, "merged2")));
    }
}
