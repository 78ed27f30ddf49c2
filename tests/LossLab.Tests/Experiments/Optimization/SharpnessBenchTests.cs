using LossLab.Data;
using LossLab.Experiments.Optimization;
using static TorchSharp.torch;

namespace LossLab.Tests.Experiments.Optimization;

[Collection(GlobalRandomCollection.Name)]
public class SharpnessBenchTests
{
    static readonly LabeledTensors Train = GaussianMixture.Generate(3, 10, 4, 3.0, seed: 1);
    static readonly LabeledTensors Test = GaussianMixture.Generate(3, 8, 4, 3.0, seed: 2);

    static (SharpnessBench Bench, RunRecorder Recorder) Tiny()
    {
        var recorder = new RunRecorder { KeepWeights = true };
        var bench = new SharpnessBench(Train, Test, hidden: 5, epochs: 2, batchSize: 8, learningRate: 0.1, momentum: 0.9, classes: 3, device: CPU)
            { MeasureEvery = 1, PowerIterations = 3, TraceSamples = 1, Instrument = recorder.Instrument };
        return (bench, recorder);
    }

    // The MLP inputs → H → C with ReLU, from its parameters in order (W₁, b₁, W₂, b₂), in float64.
    static double[] Logits(double[][] p, double[] x, int h, int c)
    {
        int d = x.Length;
        var hidden = Enumerable.Range(0, h).Select(u => Math.Max(0, p[1][u] + Enumerable.Range(0, d).Sum(j => p[0][u * d + j] * x[j]))).ToArray();
        return Enumerable.Range(0, c).Select(k => p[3][k] + Enumerable.Range(0, h).Sum(u => p[2][k * h + u] * hidden[u])).ToArray();
    }

    static (double Accuracy, double Loss) Score(double[][] p, LabeledTensors data, long[] labels)
    {
        var x = RunRecorder.Doubles(data.Features);
        int n = labels.Length, d = x.Length / n;
        double correct = 0, loss = 0;
        for (int i = 0; i < n; i++)
        {
            var z = Logits(p, x[(i * d)..((i + 1) * d)], 5, 3);
            double max = z.Max(), lse = max + Math.Log(z.Sum(v => Math.Exp(v - max)));
            loss += (lse - z[labels[i]]) / n;
            if (Array.IndexOf(z, max) == labels[i]) correct++;
        }
        return (correct / n, loss);
    }

    [Fact]
    public void Sgd_and_sam_of_a_seed_share_labels_initialisation_and_batches_and_the_records_match_a_float64_recomputation()
    {
        var (bench, recorder) = Tiny();
        var runs = bench.Compare([SharpnessArm.Sgd(), SharpnessArm.Sam(0.05)], noise: 0.2, seeds: [1, 2], measureRho: 0.05);
        foreach (var seed in runs.Seeds)
        {
            var (sgd, sam) = (recorder.Runs[("SGD", seed)], recorder.Runs[("SAM", seed)]);
            Assert.Equal(sgd.Initial.Values, sam.Initial.Values);
            Assert.Equal(8, sgd.Batches.Count);   // 2 epochs of ⌈30 / 8⌉ batches
            Assert.Equal(sgd.Batches.Select(b => b.Inputs), sam.Batches.Select(b => b.Inputs));
            Assert.Equal(sgd.Batches.Select(b => b.Targets), sam.Batches.Select(b => b.Targets));
            Assert.NotEqual(sgd.AfterStep[^1].Values, sam.AfterStep[^1].Values);   // the arms differ by the method only

            using var noisy = LabelNoise.Symmetric(Train, 0.2, LossLab.Training.Seeds.Random(seed, 1));
            var noisyLabels = noisy.Labels.data<long>().ToArray();
            Assert.Equal(noisyLabels.OrderBy(l => l), sgd.Batches.Take(4).SelectMany(b => b.Targets).Select(t => (long)t).OrderBy(l => l));
            var testLabels = Test.Labels.data<long>().ToArray();
            foreach (var (name, record) in new[] { ("SGD", sgd), ("SAM", sam) })
            {
                var run = runs[name, seed];
                Assert.Equal(Score([.. record.Initial.Values], Test, testLabels).Accuracy, run.InitialAccuracy, 12);
                var final = record.AfterStep[^1].Values.ToArray();
                Assert.Equal(Score(final, Test, testLabels).Accuracy, run.TestAccuracy, 12);
                Assert.Equal(Score(final, noisy, noisyLabels).Loss, run.TrainLoss, 5);
                Assert.Equal(8, run.Steps);
                Assert.Equal(new[] { 1.0, 2.0 }, run.Epochs);
                Assert.Equal(run.LambdaMax, run.Lambdas[^1]);
            }
        }
        Assert.NotEqual(recorder.Runs[("SGD", 1)].Initial.Values, recorder.Runs[("SGD", 2)].Initial.Values);
    }

    [Fact]
    public void Rho_tuning_keeps_the_best_validation_accuracy_with_ties_to_the_smaller_radius()
    {
        var (bench, _) = Tiny();
        var (rho, scores) = bench.TuneRho(0.0, [0.1, 0.02, 0.05], Train, Test, seed: 0);
        Assert.Equal(new[] { 0.1, 0.02, 0.05 }, scores.Select(s => s.Rho));
        double best = scores.Max(s => s.Accuracy);
        Assert.Equal(scores.Where(s => s.Accuracy == best).Min(s => s.Rho), rho);
    }

    [Fact]
    public void Bad_declarations_fail_with_messages_that_name_the_problem()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SharpnessArm.Sam(0));
        var (bench, _) = Tiny();
        Assert.Contains("repeated: SGD", Assert.Throws<ArgumentException>(() => bench.Compare([SharpnessArm.Sgd(), SharpnessArm.Sgd()], 0, [1], 0.05)).Message);
        Assert.Throws<ArgumentException>(() => bench.TuneRho(0, [], Train, Test, 0));
        using var wide = GaussianMixture.Generate(3, 4, 6, 3.0, seed: 3);
        Assert.Contains("one width", Assert.Throws<ArgumentException>(() => new SharpnessBench(Train, wide, 5, 2, 8, 0.1, device: CPU)).Message);
    }

    [Fact]
    public void Seeds_trained_at_once_give_the_records_of_one_after_another()
    {
        int[] seeds = [3, 1, 2, 5];
        (LossLab.Experiments.MethodComparison<SharpnessRun> Runs, RunRecorder Recorder) Made(int workers)
        {
            var recorder = new RunRecorder { KeepWeights = true };
            var bench = new SharpnessBench(Train, Test, hidden: 5, epochs: 2, batchSize: 8, learningRate: 0.1, momentum: 0.9, classes: 3, device: CPU)
                { MeasureEvery = 1, PowerIterations = 3, TraceSamples = 1, Instrument = recorder.Instrument, Workers = workers };
            return (bench.Compare([SharpnessArm.Sgd(), SharpnessArm.Sam(0.05)], noise: 0.2, seeds, measureRho: 0.05), recorder);
        }
        var (one, three) = (Made(1), Made(3));
        foreach (var method in one.Runs.Methods)
            foreach (int seed in seeds)
            {
                var (a, b) = (one.Runs[method, seed], three.Runs[method, seed]);
                Assert.Equal((a.TestAccuracy, a.InitialAccuracy, a.TrainLoss, a.LambdaMax, a.Trace, a.RhoSharpness, a.Steps),
                    (b.TestAccuracy, b.InitialAccuracy, b.TrainLoss, b.LambdaMax, b.Trace, b.RhoSharpness, b.Steps));
                Assert.Equal(a.Lambdas, b.Lambdas);
                Assert.Equal(one.Recorder.Final(method, seed), three.Recorder.Final(method, seed));
            }
        Assert.NotEqual(one.Runs["SGD", 1].TrainLoss, one.Runs["SGD", 2].TrainLoss);
        Assert.NotEqual(one.Recorder.Final("SGD", 1), one.Recorder.Final("SGD", 2));
    }
}
