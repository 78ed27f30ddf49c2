using LossLab.Experiments.Scaling;
using LossLab.Scaling;

namespace LossLab.Tests.Experiments.Scaling;

public class LawSweepTests
{
    // A toy "training run": the loss of L(N, D) = 1.5 + 40/N^0.35 + 90/D^0.3 times a seed-dependent factor, so fits differ by seed.
    record Run(int Width, long Tokens, int Seed, double Loss);

    static double Truth(double n, double d) => 1.5 + 40 / Math.Pow(n, 0.35) + 90 / Math.Pow(d, 0.3);

    static Run Train((int Width, long Tokens) c, int seed)
    {
        var rng = LossLab.Training.Seeds.Random(seed, c.Width * 1000 + c.Tokens);
        return new Run(c.Width, c.Tokens, seed, Truth(c.Width * 100.0, c.Tokens) * (1 + 0.01 * (rng.NextDouble() - 0.5)));
    }

    static readonly (int Width, long Tokens)[] Grid =
        [.. new long[] { 1000, 4000, 16000 }.SelectMany(d => new[] { 4, 8, 16, 32 }.Select(w => (w, d)))];

    static LawSweep<(int Width, long Tokens), Run> Toy(List<((int, long) Cell, int Seed)>? calls = null) =>
        new LawSweep<(int Width, long Tokens), Run>(Grid, [7, 3, 5]).Run((c, s) => { calls?.Add((c, s)); return Train(c, s); });

    static readonly LawDeclaration Power = new(new PowerLaw("N"), StartGrid.Product([0.0, 1.0], [2.0, 4.0, 6.0], [0.1, 0.5, 1.0]));

    static (double, double[]) AtN((int Width, long Tokens) c, Run r) => (r.Loss, [c.Width * 100.0]);

    [Fact]
    public void Every_cell_runs_exactly_once_per_seed_with_that_seed_seeds_outer()
    {
        var calls = new List<((int, long) Cell, int Seed)>();
        var sweep = Toy(calls);
        var expected = new[] { 7, 3, 5 }.SelectMany(s => Grid.Select(c => (((int, long))c, s))).ToList();
        Assert.Equal(expected, calls);
        foreach (var (cell, seed) in expected)
        {
            var run = sweep[cell, seed];
            Assert.Equal((cell.Item1, cell.Item2, seed), (run.Width, run.Tokens, run.Seed));
        }
        Assert.Equal(calls.Count, sweep.Runs.Count());
        Assert.Equal(expected, sweep.Runs.Select(r => (((int, long))r.Cell, r.Seed)).ToList());
    }

    [Fact]
    public void Per_seed_and_pooled_fits_equal_a_direct_fit_on_the_same_points()
    {
        var sweep = Toy();
        var perSeed = sweep.FitPerSeed(Power, AtN, c => c.Tokens == 16000);
        Assert.Equal(new int?[] { 7, 3, 5 }, perSeed.Select(f => f.Seed));
        foreach (var f in perSeed)
        {
            var runs = Grid.Where(c => c.Tokens == 16000).Select(c => Train(c, f.Seed!.Value)).ToArray();
            var direct = new LawFitter(new PowerLaw("N")).Fit(LawPoints.FromColumns(runs.Select(r => r.Loss).ToArray(), runs.Select(r => r.Width * 100.0).ToArray()), Power.Starts);
            Assert.Equal(direct.Parameters, f.Fit.Parameters);
            Assert.Equal(direct.Objective, f.Fit.Objective);
            Assert.Equal(runs.Select(r => r.Loss), f.Points.Losses);
        }
        var all = new[] { 7, 3, 5 }.SelectMany(s => Grid.Where(c => c.Tokens == 16000).Select(c => Train(c, s))).ToArray();
        var pooledDirect = Power.Fit(LawPoints.FromColumns(all.Select(r => r.Loss).ToArray(), all.Select(r => r.Width * 100.0).ToArray()));
        var pooled = sweep.FitPooled(Power, AtN, c => c.Tokens == 16000);
        Assert.Null(pooled.Seed);
        Assert.Equal(pooledDirect.Parameters, pooled.Fit.Parameters);
    }

    [Fact]
    public void Points_take_any_number_of_observations_per_run_in_run_order()
    {
        var sweep = Toy();
        var points = sweep.Points((c, r) => new[] { (r.Loss, new double[] { c.Width, 1 }), (2 * r.Loss, new double[] { c.Width, 2 }) }, seed: 3, where: c => c.Width == 8);
        var runs = Grid.Where(c => c.Width == 8).Select(c => Train(c, 3)).ToArray();
        Assert.Equal(runs.SelectMany(r => new[] { r.Loss, 2 * r.Loss }), points.Losses);
        Assert.Equal([8.0, 2.0], points.Input(1).ToArray());
    }

    [Fact]
    public void In_sample_error_is_the_fits_own_prediction_error()
    {
        var fit = Toy().FitPerSeed(Power, AtN, c => c.Tokens == 1000)[0];
        var predicted = Enumerable.Range(0, fit.Points.Count).Select(i => fit.Predict(fit.Points.Input(i).ToArray())).ToArray();
        double mean = fit.Points.Losses.Average();
        double r2 = 1 - predicted.Zip(fit.Points.Losses, (p, o) => (o - p) * (o - p)).Sum() / fit.Points.Losses.Sum(o => (o - mean) * (o - mean));
        Assert.Equal(r2, fit.InSample.RSquared, 12);
    }

    [Fact]
    public void Leave_one_seed_out_fits_the_other_seeds_and_compares_with_their_cell_means()
    {
        var sweep = Toy();
        var held = sweep.LeaveOneSeedOut(Power, AtN, c => c.Tokens == 16000);
        Assert.Equal(new[] { 7, 3, 5 }, held.Select(h => h.Seed));
        var cells = Grid.Where(c => c.Tokens == 16000).ToArray();
        foreach (var h in held)
        {
            var others = new[] { 7, 3, 5 }.Where(s => s != h.Seed).ToArray();
            var train = others.SelectMany(s => cells.Select(c => Train(c, s))).ToArray();
            var direct = Power.Fit(LawPoints.FromColumns(train.Select(r => r.Loss).ToArray(), train.Select(r => r.Width * 100.0).ToArray()));
            Assert.Equal(direct.Parameters, h.Fit.Parameters);
            double lawError = 0, meanError = 0;
            foreach (var c in cells)
            {
                double observed = Train(c, h.Seed).Loss;
                double cellMean = (Train(c, others[0]).Loss + Train(c, others[1]).Loss) / 2;
                lawError += Math.Abs(direct.Predict(c.Width * 100.0) / observed - 1);
                meanError += Math.Abs(cellMean / observed - 1);
            }
            Assert.Equal(lawError / cells.Length, h.Law.MeanAbsoluteRelativeError, 12);
            Assert.Equal(meanError / cells.Length, h.CellMean.MeanAbsoluteRelativeError, 12);
            Assert.Equal((lawError - meanError) / cells.Length, h.ExcessError, 12);
        }
        var twoSeeds = new LawSweep<(int Width, long Tokens), Run>(Grid, [1, 2]).Run(Train);
        Assert.Contains("at least 3 seeds", Assert.Throws<InvalidOperationException>(() => twoSeeds.LeaveOneSeedOut(Power, AtN)).Message);
    }

    [Fact]
    public void Bad_grids_and_lookups_throw_clear_errors()
    {
        var empty = Assert.Throws<ArgumentException>(() => new LawSweep<int, double>([], [1]));
        Assert.Equal("cells", empty.ParamName);
        Assert.Contains("no cell", empty.Message);
        var repeated = Assert.Throws<ArgumentException>(() => new LawSweep<int, double>([1, 2, 1], [1]));
        Assert.Equal("cells", repeated.ParamName);
        Assert.Contains("'1' ×2", repeated.Message);
        var sameName = Assert.Throws<ArgumentException>(() => new LawSweep<int, double>([1, 2], [1], _ => "same"));
        Assert.Contains("'same' ×2", sameName.Message);
        Assert.Equal("seeds", Assert.Throws<ArgumentException>(() => new LawSweep<int, double>([1], [])).ParamName);
        Assert.Contains("[4, 4]", Assert.Throws<ArgumentException>(() => new LawSweep<int, double>([1], [4, 4])).Message);

        var notRun = new LawSweep<int, double>([1, 2], [1]);
        Assert.Contains("Run first", Assert.Throws<InvalidOperationException>(() => notRun.Runs.ToList()).Message);
        var sweep = Toy();
        Assert.Contains("seed 9", Assert.Throws<ArgumentException>(() => sweep.Select(seed: 9)).Message);
        Assert.Contains("not a cell", Assert.Throws<ArgumentException>(() => sweep[(5, 1000), 7]).Message);
        Assert.Equal("where", Assert.Throws<ArgumentException>(() => sweep.Points(AtN, where: c => c.Width > 100)).ParamName);
        Assert.Equal("observe", Assert.Throws<ArgumentException>(() => sweep.Points((c, r) => Array.Empty<(double, double[])>())).ParamName);
        Assert.Equal("starts", Assert.Throws<ArgumentException>(() => new LawDeclaration(new PowerLaw("N"), StartGrid.Product([0.0], [1.0]))).ParamName);
    }
}
