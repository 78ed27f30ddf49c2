using LossLab.Experiments;

namespace LossLab.Tests.Experiments;

public class SweepTests
{
    sealed record Config(double Lr, int Width);

    static string TempDir() => Path.Combine(Path.GetTempPath(), "losslab-sweep-" + Guid.NewGuid().ToString("N"));

    static IReadOnlyDictionary<string, double> Fake(Config c, int seed) =>
        new Dictionary<string, double> { ["acc"] = c.Width / 100.0 + seed / 1000.0, ["loss"] = c.Lr * seed };

    [Fact]
    public void A_rerun_reads_finished_cells_from_the_cache_and_a_killed_sweep_resumes()
    {
        string dir = TempDir();
        try
        {
            var configs = new Dictionary<string, Config> { ["wide"] = new(0.1, 80), ["narrow"] = new(0.1, 40) };
            int runs = 0;
            // the first sweep is "killed" by an exception in the third cell (seed 2, wide)
            var first = new Sweep(dir);
            Assert.Throws<InvalidOperationException>(() => first.Run(configs, [1, 2], (c, s) =>
            {
                if (++runs == 3) throw new InvalidOperationException("killed");
                return Fake(c, s);
            }));
            Assert.Equal(2, Directory.GetFiles(dir, "*.json").Length);
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));

            runs = 0;
            var second = new Sweep(dir).Run(configs, [1, 2], (c, s) => { runs++; return Fake(c, s); });
            Assert.Equal(2, runs);                                   // only the two unfinished cells ran
            Assert.Equal([true, true, false, false], second.Cells.Select(c => c.FromCache));
            Assert.Equal(0.8 + 0.001, second.Values("wide", "acc")[1], 12);   // cached value read back exactly

            runs = 0;
            var third = new Sweep(dir).Run(configs, [1, 2], (c, s) => { runs++; return Fake(c, s); });
            Assert.Equal(0, runs);

            // changing a configuration's parameters reruns only that configuration
            runs = 0;
            configs["narrow"] = new(0.2, 40);
            new Sweep(dir).Run(configs, [1, 2], (c, s) => { runs++; return Fake(c, s); });
            Assert.Equal(2, runs);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Paired_compares_over_shared_seeds_with_hand_computed_values()
    {
        var sweep = new Sweep();
        double[] a = [0.9, 0.8, 0.7], b = [0.85, 0.82, 0.6];
        for (int s = 0; s < 3; s++)
        {
            int seed = s;
            sweep.Run("a", seed, _ => new Dictionary<string, double> { ["acc"] = a[seed] });
            sweep.Run("b", seed, _ => new Dictionary<string, double> { ["acc"] = b[seed] });
        }
        sweep.Run("a", 7, _ => new Dictionary<string, double> { ["acc"] = 0.1 });   // seed b lacks: left out
        var p = sweep.Paired("a", "b", metric: "acc");
        Assert.Equal(3, p.Count);
        Assert.Equal(new[] { 0, 1, 2 }, p.Seeds);
        Assert.Equal((0.05 - 0.02 + 0.1) / 3, p.MeanDifference, 12);
        Assert.Equal(2, p.Wins);
        Assert.Equal(0.8, p.MeanA, 12);
        Assert.Equal((0.85 + 0.82 + 0.6) / 3, p.MeanB, 12);
    }

    [Fact]
    public void Frames_hold_every_cell_and_the_per_configuration_summary()
    {
        var sweep = new Sweep().Run(new Dictionary<string, Config> { ["x"] = new(1, 10), ["y"] = new(2, 20) }, [1, 2, 3], Fake);
        var frame = sweep.ToFrame();
        Assert.Equal(6, frame.RowCount);
        Assert.Equal(new[] { "configuration", "seed", "acc", "loss" }, frame.ColumnKeys.ToArray());
        var summary = sweep.Summary("acc");
        // x: 0.101, 0.102, 0.103 → mean 0.102, sample std 0.001
        Assert.Equal(0.102, summary.GetColumn<double>("mean")["x"], 12);
        Assert.Equal(0.001, summary.GetColumn<double>("std")["x"], 12);
        Assert.Equal(3, summary.GetColumn<double>("count")["y"]);
        Assert.Equal(0.203, summary.GetColumn<double>("max")["y"], 12);
    }

    [Fact]
    public void Missing_configurations_metrics_and_bad_seeds_are_reported()
    {
        var sweep = new Sweep();
        sweep.Run("a", 1, _ => new Dictionary<string, double> { ["acc"] = 1 });
        sweep.Run("b", 2, _ => new Dictionary<string, double> { ["acc"] = 1 });
        Assert.Equal("configuration", Assert.Throws<ArgumentException>(() => sweep.Paired("a", "zzz", "acc")).ParamName);
        Assert.Equal("metric", Assert.Throws<ArgumentException>(() => sweep.Paired("a", "b", "loss")).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => sweep.Paired("a", "b", "acc")).ParamName);
        Assert.Equal("seeds", Assert.Throws<ArgumentException>(() =>
            sweep.Run(new Dictionary<string, int> { ["a"] = 1 }, [1, 1], (_, _) => new Dictionary<string, double>())).ParamName);
    }

    [Fact]
    public void A_corrupt_cache_file_is_reported_with_its_path()
    {
        string dir = TempDir();
        try
        {
            Directory.CreateDirectory(dir);
            string file = Path.Combine(dir, Sweep.CacheFileName("a", 1, "null"));
            File.WriteAllText(file, "{ not json");
            var ex = Assert.Throws<InvalidDataException>(() => new Sweep(dir).Run("a", 1, _ => new Dictionary<string, double>()));
            Assert.Contains(file, ex.Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Non_finite_metrics_survive_the_cache()
    {
        string dir = TempDir();
        try
        {
            new Sweep(dir).Run("a", 1, _ => new Dictionary<string, double> { ["loss"] = double.NaN, ["x"] = double.PositiveInfinity });
            var cell = new Sweep(dir).Run("a", 1, _ => throw new InvalidOperationException("should be cached"));
            Assert.True(cell.FromCache);
            Assert.True(double.IsNaN(cell.Metrics["loss"]));
            Assert.True(double.IsPositiveInfinity(cell.Metrics["x"]));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
