using System.Text.Json.Nodes;
using LossLab.Notebooks.Site;

namespace LossLab.Notebooks.Tests.Site;

public class ScoreboardTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), "losslab-scoreboard-" + Guid.NewGuid().ToString("N"));
    public void Dispose() { try { Directory.Delete(root, true); } catch (IOException) { } }

    static ScoreboardEntry E(string nb, string id, string verdict, double? est = null, double? lo = null, double? hi = null) =>
        new(nb, id, verdict) { Estimate = est, Lower = lo, Upper = hi, N = est is null ? null : 5 };

    static Scoreboard Board(DateTimeOffset ended, params ScoreboardEntry[] entries) => new() { Ended = ended, Entries = entries };

    /// <summary>Writes the fixture suite with the given end time and the second notebook's claim verdicts.</summary>
    string Run(string folder, string ended, string inconclusiveBecomes)
    {
        var (executed, sources) = SiteFixture.Suite(folder);
        var path = Path.Combine(executed, "imbalance", "long-tail.ipynb");
        var nb = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        nb["metadata"]!["papermill"]!["end_time"] = ended;
        foreach (var cell in nb["cells"]!.AsArray())
        foreach (var output in cell!["outputs"]?.AsArray() ?? [])
        foreach (var claim in output!["metadata"]?["losslab"]?["claims"]?.AsArray() ?? [])
            if (claim!["id"]!.GetValue<string>() == "b-inconclusive") claim["verdict"] = inconclusiveBecomes;
        SiteFixture.Write(path, nb);
        return sources;
    }

    [Fact]
    public void The_scoreboard_holds_every_claim_with_its_numbers_and_reads_back()
    {
        var (executed, _) = SiteFixture.Suite(root);
        var notebooks = Directory.EnumerateFiles(executed, "*.ipynb", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(p => SiteNotebook.Load(p, Path.GetRelativePath(executed, p))).ToList();

        var board = Scoreboard.From(notebooks, "0123456789012345678901234567890123456789", new Dictionary<string, string> { ["host"] = "h", ["cores"] = "2" });

        Assert.Equal(5, board.Entries.Count);
        var held = board.Entries.Single(e => e.Id == "b-held");
        Assert.Equal("imbalance/long-tail.ipynb", held.Notebook);
        Assert.Equal(("held", 1.0, 0.25, 1.75, 5, ">", 0.0, 5.0), (held.Verdict, held.Estimate, held.Lower, held.Upper, held.N, held.Direction, held.Threshold, held.Duration));
        Assert.Equal(DateTimeOffset.Parse("2026-11-23T10:00:05Z", System.Globalization.CultureInfo.InvariantCulture), board.Ended);
        Assert.Equal("20261123T100005Z.json", board.DatedName);
        var file = Path.Combine(root, "board.json");
        File.WriteAllText(file, board.ToJson());
        var back = Scoreboard.Load(file);
        Assert.Equal(board.Entries, back.Entries);
        Assert.Equal(board.Commit, back.Commit);
        Assert.Equal("2", back.Machine["cores"]);
        Assert.Equal(board.Ended, back.Ended);
    }

    [Fact]
    public void Diff_lists_verdict_changes_added_and_removed_claims_and_ranks_moves_by_interval_half_widths()
    {
        var t0 = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var before = Board(t0,
            E("a.ipynb", "x", "held", 2.0, 1.0, 3.0),          // half-width 1
            E("a.ipynb", "y", "inconclusive", 0.5, -0.5, 1.5), // half-width 1
            E("a.ipynb", "z", "held", 10.0, 9.9, 10.1),        // half-width 0.1
            E("b.ipynb", "gone", "failed"));
        var after = Board(t0.AddDays(1),
            E("a.ipynb", "x", "held", 2.5, 2.0, 3.0),          // moved 0.5, wider half-width 1 → 0.5
            E("a.ipynb", "y", "held", 1.4, 0.9, 1.9),          // moved 0.9 over 1 → 0.9, and the verdict changed
            E("a.ipynb", "z", "held", 10.3, 10.2, 10.4),       // moved 0.3 over 0.1 → 3
            E("b.ipynb", "new", "not-run"));

        var diff = Scoreboard.Diff(before, after);

        var change = Assert.Single(diff.VerdictChanges);
        Assert.Equal(("a.ipynb/y", "inconclusive", "held"), (change.After.Key, change.Before.Verdict, change.After.Verdict));
        Assert.Equal("b.ipynb/new", Assert.Single(diff.Added).Key);
        Assert.Equal("b.ipynb/gone", Assert.Single(diff.Removed).Key);
        Assert.Equal(3, diff.Compared);
        Assert.Equal(["a.ipynb/z", "a.ipynb/y", "a.ipynb/x"], diff.Moves.Select(m => m.After.Key));
        Assert.Equal(3.0, diff.Moves[0].InHalfWidths, 9);
        Assert.Equal(0.9, diff.Moves[1].InHalfWidths, 9);
        Assert.Equal(0.5, diff.Moves[2].Change, 9);
        var report = diff.Report(top: 2);
        Assert.Contains("Verdict changes (1):\n  a.ipynb/y: inconclusive → held    0.5 [-0.5, 1.5] n=5 → 1.4 [0.9, 1.9] n=5\n", report);
        Assert.Contains("a.ipynb/z: 10 → 10.3 (change +0.3, 3 half-widths)", report);
        Assert.DoesNotContain("a.ipynb/x: 2 → 2.5", report);   // only the top 2 moves
        Assert.Contains("New claims (1):\n  b.ipynb/new: not-run", report);
        Assert.Contains("Claims no longer recorded (1):\n  b.ipynb/gone: was failed", report);
    }

    [Fact]
    public void A_claim_twice_in_one_run_is_refused_by_name()
    {
        var t = DateTimeOffset.UnixEpoch;
        var twice = Board(t, E("a.ipynb", "x", "held"), E("a.ipynb", "x", "failed"));
        var e = Assert.Throws<ArgumentException>(() => Scoreboard.Diff(twice, Board(t)));
        Assert.Contains("a.ipynb/x appears twice", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_scoreboard_is_named_in_the_error()
    {
        Directory.CreateDirectory(root);
        var file = Path.Combine(root, "x.json");
        File.WriteAllText(file, "{\"cells\": []}");
        var e = Assert.Throws<InvalidDataException>(() => Scoreboard.Load(file));
        Assert.Contains($"{file}: not a LossLab scoreboard", e.Message);
    }

    [Fact]
    public void Each_render_keeps_a_dated_copy_and_the_index_shows_the_previous_verdict_where_it_changed()
    {
        var first = Path.Combine(root, "run");
        var sources = Run(first, "2026-11-23T10:00:05Z", "inconclusive");
        SiteRenderer.Render(Path.Combine(first, "executed"), Path.Combine(first, "site"), sources);
        var index1 = File.ReadAllText(Path.Combine(first, "site", "index.html"));
        Assert.DoesNotContain("previous run:", index1);

        Run(first, "2026-11-24T08:00:00Z", "held");
        var result = SiteRenderer.Render(Path.Combine(first, "executed"), Path.Combine(first, "site"), sources);

        var dated = Directory.GetFiles(Path.Combine(first, "scoreboards")).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["20261123T100005Z.json", "20261124T080000Z.json"], dated);
        var latest = Scoreboard.Load(Path.Combine(first, "scoreboard.json"));
        Assert.Equal("held", latest.Entries.Single(e => e.Id == "b-inconclusive").Verdict);
        Assert.Equal(File.ReadAllText(Path.Combine(first, "scoreboard.json")), File.ReadAllText(Path.Combine(first, "site", "scoreboard.json")));
        var index = File.ReadAllText(result.IndexPath);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(index, "previous run: "));
        Assert.Contains("<div class=\"previous\">previous run: inconclusive</div>", index);
        Assert.Contains("<b>1</b> verdicts changed", index);
        // Rendering the same run again rewrites its dated copy instead of adding one.
        SiteRenderer.Render(Path.Combine(first, "executed"), Path.Combine(first, "site"), sources);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(first, "scoreboards")).Length);
        Assert.Contains("previous run: inconclusive", File.ReadAllText(result.IndexPath));
    }
}
