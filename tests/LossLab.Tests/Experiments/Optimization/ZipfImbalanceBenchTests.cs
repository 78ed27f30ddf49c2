using LossLab.Data;
using LossLab.Experiments.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Experiments.Optimization;

[Collection(GlobalRandomCollection.Name)]
public class ZipfImbalanceBenchTests
{
    // C = 4 classes with Zipf(1) counts 20, 10, 7, 5 (all distinct, none n/C, so no gradient of the zero start is exactly 0):
    // each "decile" is one class, the halves are {0, 1} and {2, 3}.
    static ZipfImbalanceBench Tiny(int steps = 6) => new(classes: 4, dimensions: 3, samples: 41, separation: 3, steps: steps, device: CPU)
        { Precision = ScalarType.Float64 };

    public static TheoryData<string> Updates => new() { "GD", "sign descent" };

    [Theory]
    [MemberData(nameof(Updates))]
    public void Full_batch_curves_equal_an_explicit_float64_softmax_regression(string update)
    {
        var bench = Tiny();
        const double rate = 0.3;
        const int seed = 7;
        var arm = update == "GD" ? OptimizerArm.GradientDescent([rate]) : OptimizerArm.SignDescent([rate]);
        var run = bench.Run(arm, rate, exponent: 1.0, seed);

        int[] counts = bench.ClassCounts(1.0);
        Assert.Equal(new[] { 20, 10, 7, 5 }, counts);
        using var data = GaussianMixture.Generate(counts, 3, 3, seed);
        double[] xs = RunRecorder.Doubles(data.Features);
        long[] ys = data.Labels.data<long>().ToArray();
        int n = ys.Length, c = 4, d = 3;
        var w = new double[c, d];
        var b = new double[c];
        for (int step = 0; step < bench.Steps; step++)
        {
            var gw = new double[c, d];
            var gb = new double[c];
            var classLoss = new double[c];
            double loss = 0;
            for (int i = 0; i < n; i++)
            {
                var z = new double[c];
                for (int k = 0; k < c; k++) { z[k] = b[k]; for (int j = 0; j < d; j++) z[k] += w[k, j] * xs[i * d + j]; }
                double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
                double lse = max + Math.Log(sum);
                loss += (lse - z[ys[i]]) / n;
                classLoss[ys[i]] += (lse - z[ys[i]]) / counts[ys[i]];
                for (int k = 0; k < c; k++)
                {
                    double g = (Math.Exp(z[k] - lse) - (k == ys[i] ? 1 : 0)) / n;
                    gb[k] += g;
                    for (int j = 0; j < d; j++) gw[k, j] += g * xs[i * d + j];
                }
            }
            Assert.Equal(loss, run.Loss[step], 10);
            for (int k = 0; k < c; k++) Assert.Equal(classLoss[k], run.Deciles[step][k], 10);
            Assert.Equal((20 * classLoss[0] + 10 * classLoss[1]) / 30, run.FrequentHalf[step], 10);
            Assert.Equal((7 * classLoss[2] + 5 * classLoss[3]) / 12, run.RareHalf[step], 10);
            for (int k = 0; k < c; k++)
            {
                b[k] -= rate * (update == "GD" ? gb[k] : Math.Sign(gb[k]));
                for (int j = 0; j < d; j++) w[k, j] -= rate * (update == "GD" ? gw[k, j] : Math.Sign(gw[k, j]));
            }
        }
        Assert.Equal(bench.Steps, run.Loss.Length);
        Assert.True(run.Finite);
        // The best constant predictor: the entropy of the class frequencies.
        Assert.Equal(-counts.Sum(k => k / 42.0 * Math.Log(k / 42.0)), run.PriorLoss, 10);
        Assert.Equal(Math.Log(4), run.Loss[0], 10);
        Assert.Equal(1 - run.RareHalf[^1] / run.RareHalf[0], run.RareReduction, 12);
    }

    [Fact]
    public void Arms_of_a_seed_share_the_zero_start_and_the_data_and_seeds_change_the_data()
    {
        var recorder = new RunRecorder();
        var bench = new ZipfImbalanceBench(4, 3, 40, 3, steps: 2, device: CPU) { Instrument = recorder.Instrument };
        var arms = new[] { OptimizerArm.GradientDescent([1.0]), OptimizerArm.Adam([0.1]) };
        var runs = bench.Compare(arms, new Dictionary<string, double> { ["GD"] = 1.0, ["Adam"] = 0.1 }, 1.0, [1, 2]);
        foreach (var seed in runs.Seeds)
        {
            var (gd, adam) = (recorder.Runs[("GD", seed)], recorder.Runs[("Adam", seed)]);
            Assert.All(gd.Initial.Values.Concat(adam.Initial.Values), v => Assert.All(v, x => Assert.Equal(0.0, x)));
            Assert.Equal(gd.Batches[0].Inputs, adam.Batches[0].Inputs);
            Assert.Equal(gd.Batches[0].Targets, adam.Batches[0].Targets);
            Assert.Equal(runs["GD", seed].PriorLoss, runs["Adam", seed].PriorLoss);
        }
        Assert.NotEqual(recorder.Runs[("GD", 1)].Batches[0].Inputs, recorder.Runs[("GD", 2)].Batches[0].Inputs);
    }

    [Fact]
    public void Tuning_keeps_the_rate_with_the_lowest_final_loss_and_a_diverged_run_never_wins()
    {
        var bench = Tiny(steps: 20);
        var grid = new[] { 0.01, 1.0, 0.1 };
        var rate = bench.Tune([OptimizerArm.GradientDescent(grid)], 1.0, seed: 3);
        var finals = grid.Select(r => bench.Run(OptimizerArm.GradientDescent(grid), r, 1.0, 3, classCurves: false).Final).ToArray();
        Assert.Equal(grid[Array.IndexOf(finals, finals.Min())], rate["GD"]);
        var diverged = new ImbalanceRun("GD", 1, 1, 3, [1.0, 0.5], [], [], [], Finite: false, PriorLoss: 1);
        Assert.True(double.IsPositiveInfinity(diverged.Final));
        Assert.Equal(0.5, diverged.LastLoss);
    }

    [Fact]
    public void Bad_declarations_fail_with_messages_that_name_the_problem()
    {
        Assert.Contains("at least one learning rate", Assert.Throws<ArgumentException>(() => OptimizerArm.Adam([])).Message);
        Assert.Contains("positive and finite", Assert.Throws<ArgumentException>(() => OptimizerArm.GradientDescent([1.0, -2])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZipfImbalanceBench(10, 3, samples: 5, 1, 10, CPU));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZipfImbalanceBench(1, 3, 40, 1, 10, CPU));
        var bench = Tiny();
        var gd = OptimizerArm.GradientDescent([1.0]);
        var e = Assert.Throws<ArgumentException>(() => bench.Compare([gd, OptimizerArm.GradientDescent([2.0])], new Dictionary<string, double> { ["GD"] = 1 }, 1, [1]));
        Assert.Contains("repeated: GD", e.Message);
        e = Assert.Throws<ArgumentException>(() => bench.Compare([gd, OptimizerArm.Adam([0.1])], new Dictionary<string, double> { ["GD"] = 1 }, 1, [1]));
        Assert.Contains("no learning rate for Adam", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => bench.ClassCounts(-1));
    }

    [Fact]
    public void Seeds_trained_at_once_give_the_records_of_one_after_another()
    {
        var arms = new[] { OptimizerArm.GradientDescent([1.0]), OptimizerArm.Adam([0.1]) };
        var rates = new Dictionary<string, double> { ["GD"] = 1.0, ["Adam"] = 0.1 };
        int[] seeds = [3, 1, 2, 5];
        (LossLab.Experiments.MethodComparison<ImbalanceRun> Runs, RunRecorder Recorder) Made(int workers)
        {
            var recorder = new RunRecorder { KeepWeights = true };
            var bench = new ZipfImbalanceBench(4, 3, 40, 3, steps: 3, device: CPU) { Instrument = recorder.Instrument, Workers = workers };
            return (bench.Compare(arms, rates, 1.0, seeds), recorder);
        }
        var (one, three) = (Made(1), Made(3));
        foreach (var arm in arms)
            foreach (int seed in seeds)
            {
                var (a, b) = (one.Runs[arm.Name, seed], three.Runs[arm.Name, seed]);
                Assert.Equal(a.Loss, b.Loss);
                Assert.Equal(a.Deciles.SelectMany(d => d), b.Deciles.SelectMany(d => d));
                Assert.Equal(a.FrequentHalf, b.FrequentHalf);
                Assert.Equal(a.RareHalf, b.RareHalf);
                Assert.Equal(a.PriorLoss, b.PriorLoss);
                Assert.Equal(one.Recorder.Final(arm.Name, seed), three.Recorder.Final(arm.Name, seed));
            }
        Assert.NotEqual(one.Runs["GD", 1].Loss, one.Runs["GD", 2].Loss);
        Assert.NotEqual(one.Recorder.Final("GD", 1), one.Recorder.Final("GD", 2));
    }
}
