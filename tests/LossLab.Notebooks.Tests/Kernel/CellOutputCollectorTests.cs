using System.Text;
using LossLab.Notebooks.Documents;
using LossLab.Notebooks.Kernel;

namespace LossLab.Notebooks.Tests.Kernel;

/// <summary>Stream capture past the limit: the notebook keeps the head and the tail (read back from the side file), the side
/// file holds every character, and multi-byte text is cut only at character boundaries.</summary>
public class CellOutputCollectorTests
{
    // ASCII, two-, three- and four-byte UTF-8 (the last a surrogate pair in UTF-16).
    static readonly string[] Pieces = ["plain ascii line\n", "é à ü\n", "€ ≈ ∑\n", "😀 🎲\n", "mixed é€😀x\n"];

    static string Text(int lines) => string.Concat(Enumerable.Range(0, lines).Select(i => $"{i:00000} {Pieces[i % Pieces.Length]}"));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(5000)]
    public void Last_characters_of_a_UTF8_file_are_the_strings_suffix_without_a_split_pair(int count)
    {
        var file = Path.Combine(NotebookHarness.Scratch(), "tail.txt");
        var text = Text(400);
        File.WriteAllText(file, text, new UTF8Encoding(false));

        var tail = CellOutputCollector.StreamCapture.LastCharacters(file, count);

        // Independent reference: the suffix of the string itself, one char shorter when it would start inside a pair.
        var expected = count >= text.Length ? text : text[^count..];
        if (expected.Length > 0 && char.IsLowSurrogate(expected[0])) expected = expected[1..];
        Assert.Equal(expected, tail);
    }

    [Theory]
    [InlineData(70_000)]
    [InlineData(150_001)]
    public void Last_characters_spanning_several_read_blocks_are_the_strings_suffix(int count)
    {
        // Far more than one 64 KiB read block, with 2-, 3- and 4-byte characters.
        var file = Path.Combine(NotebookHarness.Scratch(), "long.txt");
        var text = Text(20_000);
        File.WriteAllText(file, text, new UTF8Encoding(false));
        Assert.True(new FileInfo(file).Length > 3 * 65536);

        var expected = text[^count..];
        if (char.IsLowSurrogate(expected[0])) expected = expected[1..];
        Assert.Equal(expected, CellOutputCollector.StreamCapture.LastCharacters(file, count));
    }

    [Fact]
    public void A_short_file_is_returned_whole()
    {
        var file = Path.Combine(NotebookHarness.Scratch(), "short.txt");
        File.WriteAllText(file, "é😀\n", new UTF8Encoding(false));
        Assert.Equal("é😀\n", CellOutputCollector.StreamCapture.LastCharacters(file, 100));
    }

    [Fact]
    public void Past_the_limit_the_notebook_keeps_head_and_tail_and_the_side_file_every_character()
    {
        var folder = NotebookHarness.Scratch();
        var collector = new CellOutputCollector { StreamLimit = 1_000, SideFilePrefix = Path.Combine(folder, "nb.cell1") };
        var lines = Enumerable.Range(0, 300).Select(i => $"{i:00000} {Pieces[i % Pieces.Length]}".TrimEnd('\n')).ToList();
        foreach (var line in lines) collector.Stdout.WriteLine(line);
        collector.Stdout.Write("no newline at the end");
        var whole = string.Concat(lines.Select(l => l + "\n")) + "no newline at the end";

        var outputs = collector.Complete();

        var spill = Assert.Single(collector.Spills);
        Assert.Equal(whole, File.ReadAllText(spill.Path));
        Assert.Equal(whole.Length, spill.Characters);
        Assert.Equal(300, spill.Lines);
        var kept = JsonText.JoinLines(Assert.Single(outputs)!["text"]);
        // Stored as nbformat stores a multi-line string: the same lines as splitting the kept text in one piece.
        Assert.Equal(JsonText.SplitLines(kept), outputs[0]!["text"]!.AsArray().Select(l => l!.GetValue<string>()));
        var head = whole[..500];
        var tail = whole[^500..];
        if (char.IsLowSurrogate(tail[0])) tail = tail[1..];
        Assert.StartsWith(head, kept, StringComparison.Ordinal);
        Assert.EndsWith(tail, kept, StringComparison.Ordinal);
        long omitted = whole.Length - head.Length - tail.Length;
        Assert.Contains($"[losslab: {omitted:N0} characters of stdout omitted here ({whole.Length:N0} characters, 300 lines in all); the whole stream is in nb.cell1.stdout.txt, beside this notebook]\n",
            kept, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public void Within_the_limit_the_stream_is_kept_whole_and_no_file_is_written()
    {
        var folder = NotebookHarness.Scratch();
        var collector = new CellOutputCollector { StreamLimit = 10_000, SideFilePrefix = Path.Combine(folder, "nb.cell1") };
        var text = Text(40);
        collector.Stdout.Write(text);

        var outputs = collector.Complete();

        Assert.Empty(collector.Spills);
        Assert.Equal(text, JsonText.JoinLines(Assert.Single(outputs)!["text"]));
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Theory]
    [InlineData("")]
    [InlineData("one")]
    [InlineData("a\nb\n")]
    [InlineData("\n\nx")]
    public void Lines_keep_their_endings_and_join_back(string text)
    {
        var lines = JsonText.SplitLines(text).ToList();
        Assert.Equal(text, string.Concat(lines));
        Assert.All(lines.SkipLast(1), l => Assert.EndsWith("\n", l, StringComparison.Ordinal));
        Assert.Equal(text.Count(c => c == '\n') + (text.Length == 0 || text.EndsWith('\n') ? 0 : 1), lines.Count);
    }
}
