using LossLab.Training;

namespace LossLab.Tests.Training;

public class SparseProgressPrinterTests
{
    static TrainingProgress At(long step, IReadOnlyDictionary<string, double>? metrics = null) =>
        new(step, 100, (int)(step / 10), 10, 0.5, 1e-3, TimeSpan.FromSeconds(1), 100, metrics);

    [Fact]
    public void Prints_one_line_per_tenth_of_the_run_plus_the_end()
    {
        var sw = new StringWriter();
        var printer = new SparseProgressPrinter(sw, lines: 4);
        for (long s = 1; s <= 100; s++) printer.Report(At(s, s % 10 == 0 ? new Dictionary<string, double> { ["acc"] = s / 100.0 } : null));
        var lines = sw.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // quarters at steps 25, 50, 75 and the final step 100
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("step 25/100 (25%) epoch 3/10", lines[0]);
        Assert.Contains("acc=0.2", lines[0]);     // latest metrics so far (epoch end at step 20)
        Assert.StartsWith("step 100/100 (100%)", lines[3]);
        Assert.Contains("acc=1", lines[3]);
    }

    [Fact]
    public void A_non_positive_line_count_is_rejected() =>
        Assert.Equal("lines", Assert.Throws<ArgumentOutOfRangeException>(() => new SparseProgressPrinter(lines: 0)).ParamName);
}
