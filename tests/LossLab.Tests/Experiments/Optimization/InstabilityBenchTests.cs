using LossLab.Data;
using LossLab.Experiments.Optimization;
using LossLab.Training;
using LossLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Experiments.Optimization;

[Collection(GlobalRandomCollection.Name)]
public class InstabilityBenchTests
{
    static readonly ZipfMarkovChain Chain = new(8, seed: 0);
    static readonly TransformerConfig Shape = new(8, Context: 4, Width: 8, Depth: 1, Heads: 2);

    [Fact]
    public void Arms_of_a_seed_share_initialisation_and_batches_and_the_curves_match_a_float64_recomputation()
    {
        var recorder = new RunRecorder { KeepWeights = true };
        var bench = new InstabilityBench(Chain, Shape, batchSize: 2, steps: 6, device: CPU) { Instrument = recorder.Instrument };
        var baseline = LmVariant.Baseline.At(0.01);
        var zLoss = LmVariant.WithZLoss(0.5).At(0.01);
        var clipped = baseline.ClippedBy("global", () => new GlobalNormClipper(1.0)).WithOutliers(every: 3, after: 1);
        var runs = bench.Compare([baseline, zLoss, clipped], [1, 2]);
        foreach (var seed in runs.Seeds)
        {
            var records = new[] { baseline, zLoss, clipped }.Select(a => recorder.Runs[(a.Name, seed)]).ToArray();
            Assert.All(records, r => Assert.Equal(records[0].Initial.Values, r.Initial.Values));
            Assert.Equal(records[0].Batches.Select(b => b.Inputs), records[1].Batches.Select(b => b.Inputs));
            for (int step = 0; step < 6; step++)
            {
                bool outlier = step is 2 or 5;
                Assert.Equal(outlier, clipped.IsOutlier(step));
                using var tokens = bench.Tokens(clipped, seed, step);
                Assert.Equal(RunRecorder.Doubles(tokens.narrow(1, 0, 4)), records[2].Batches[step].Inputs);
                if (!outlier) Assert.Equal(records[0].Batches[step].Inputs, records[2].Batches[step].Inputs);
            }
            Assert.Equal(4, runs[clipped.Name, seed].Loss.Length);   // the outlier steps are not recorded

            // The z-loss arm's curves: the cross-entropy without the z-term and the mean log Z, before each update.
            var run = runs[zLoss.Name, seed];
            using var model = new TransformerLm(Shape);
            for (int step = 0; step < 6; step++)
            {
                var weights = step == 0 ? records[1].Initial : records[1].AfterStep[step - 1];
                using (no_grad())
                    foreach (var (name, p) in model.named_parameters())
                        p.copy_(tensor(weights[name], p.shape, dtype: ScalarType.Float64).to(p.dtype));
                using var seq = bench.Tokens(zLoss, seed, step);
                using var logits = model.forward(seq.narrow(1, 0, 4)).flatten(0, 1);
                var z = RunRecorder.Doubles(logits);
                var targets = RunRecorder.Doubles(seq.narrow(1, 1, 4).flatten());
                int rows = targets.Length;
                double ce = 0, logZ = 0;
                for (int i = 0; i < rows; i++)
                {
                    var row = z[(i * 8)..((i + 1) * 8)];
                    double max = row.Max(), lse = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
                    ce += (lse - row[(int)targets[i]]) / rows;
                    logZ += lse / rows;
                }
                Assert.Equal(ce, run.Loss[step], 5);
                Assert.Equal(logZ, run.LogZ[step], 5);
            }
            Assert.Equal(Math.Abs(run.LogZ[^6..].Average() - run.LogZ[0]), run.LogZDrift, 12);
        }
        Assert.NotEqual(recorder.Runs[(baseline.Name, 1)].Initial.Values, recorder.Runs[(baseline.Name, 2)].Initial.Values);
    }

    [Fact]
    public void Bad_declarations_fail_with_messages_that_name_the_problem()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LmVariant.WithZLoss(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LmVariant.Baseline.At(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LmVariant.Baseline.At(0.1, warmupSteps: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LmVariant.Baseline.At(0.1).WithOutliers(-2));
        Assert.Contains("vocabulary", Assert.Throws<ArgumentException>(() => new InstabilityBench(Chain, Shape with { Vocabulary = 9 }, 2, 6, CPU)).Message);
        var bench = new InstabilityBench(Chain, Shape, 2, 6, CPU);
        var e = Assert.Throws<ArgumentException>(() => bench.Compare([LmVariant.Baseline.At(0.1), LmVariant.Baseline.At(0.1)], [1]));
        Assert.Contains("repeated: baseline, η = 0.1", e.Message);
    }

    [Fact]
    public void Seeds_trained_at_once_give_the_records_of_one_after_another()
    {
        var arms = new[] { LmVariant.Baseline.At(0.01), LmVariant.WithZLoss(0.5).At(0.02).ClippedBy("global", () => new GlobalNormClipper(1.0)).WithOutliers(every: 3) };
        int[] seeds = [3, 1, 2, 5];
        (LossLab.Experiments.MethodComparison<LmRun> Runs, RunRecorder Recorder) Made(int workers)
        {
            var recorder = new RunRecorder { KeepWeights = true };
            var bench = new InstabilityBench(Chain, Shape, batchSize: 2, steps: 6, device: CPU) { Instrument = recorder.Instrument, Workers = workers };
            return (bench.Compare(arms, seeds), recorder);
        }
        var (one, three) = (Made(1), Made(3));
        foreach (var arm in arms)
            foreach (int seed in seeds)
            {
                var (a, b) = (one.Runs[arm.Name, seed], three.Runs[arm.Name, seed]);
                Assert.Equal(a.Loss, b.Loss);
                Assert.Equal(a.LogZ, b.LogZ);
                Assert.Equal(a.AttentionLogit, b.AttentionLogit);
                Assert.Equal((a.Finite, a.Spikes), (b.Finite, b.Spikes));
                Assert.Equal(one.Recorder.Final(arm.Name, seed), three.Recorder.Final(arm.Name, seed));
            }
        Assert.NotEqual(one.Runs[arms[0].Name, 1].Loss, one.Runs[arms[0].Name, 2].Loss);
        Assert.NotEqual(one.Recorder.Final(arms[0].Name, 1), one.Recorder.Final(arms[0].Name, 2));
    }
}
