using LossLab.Notebooks.Site;
using LossLab.Notebooks.Tests.Site;
using static LossLab.Notebooks.Tests.Cli.LosslabCommandTests;

namespace LossLab.Notebooks.Tests.Cli;

[Collection("Engine")]
public class DiffCommandTests
{
    [Fact]
    public async Task Diff_compares_a_scoreboard_file_with_a_folder_of_executed_notebooks()
    {
        var root = Project();
        var (executed, _) = SiteFixture.Suite(Path.Combine(root, "b"));
        var before = new Scoreboard
        {
            Ended = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
            Entries = [new ScoreboardEntry("imbalance/long-tail.ipynb", "b-held", "failed") { Estimate = -1, Lower = -1.5, Upper = -0.5, N = 5 }],
        };
        var file = Path.Combine(root, "before.json");
        File.WriteAllText(file, before.ToJson());

        var (exit, stdout, stderr) = await Losslab(root, "diff", file, executed);

        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("Verdict changes (1):\n  imbalance/long-tail.ipynb/b-held: failed → held    -1 [-1.5, -0.5] n=5 → 1 [0.25, 1.75] n=5", stdout);
        Assert.Contains("New claims (4):", stdout);
        Assert.Contains("imbalance/long-tail.ipynb/b-held: -1 → 1 (change +2, 2.67 half-widths)", stdout);
    }

    [Fact]
    public async Task Diff_of_a_missing_run_fails_with_its_name()
    {
        var root = Project();
        var (exit, _, stderr) = await Losslab(root, "diff", "nowhere", "nowhere-else");
        Assert.Equal(2, exit);
        Assert.Contains("nowhere: no such scoreboard file or run folder.", stderr);
    }
}
