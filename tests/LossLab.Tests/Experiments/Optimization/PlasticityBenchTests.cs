using LossLab.Data;
using LossLab.Experiments.Optimization;
using MathNet.Numerics.LinearAlgebra;
using static TorchSharp.torch;

namespace LossLab.Tests.Experiments.Optimization;

[Collection(GlobalRandomCollection.Name)]
public class PlasticityBenchTests
{
    static readonly LabeledTensors Pool = GaussianMixture.Generate(3, 15, 4, 3.0, seed: 5);

    // The MLP inputs → H → H → C (ReLU) from its parameters (W₀, b₀, W₁, b₁, W₂, b₂), in float64: both hidden layers and the logits.
    static double[][] Layer(double[] w, double[] b, double[][] x, bool relu) => x.Select(row => Enumerable.Range(0, b.Length)
        .Select(u => b[u] + Enumerable.Range(0, row.Length).Sum(j => w[u * row.Length + j] * row[j])).Select(v => relu ? Math.Max(0, v) : v).ToArray()).ToArray();

    static double Dormant(double[][] h, double tau)
    {
        var mean = Enumerable.Range(0, h[0].Length).Select(u => h.Average(r => Math.Abs(r[u]))).ToArray();
        double avg = mean.Average();
        return avg == 0 ? 1 : mean.Count(m => m / avg <= tau) / (double)mean.Length;
    }

    [Fact]
    public void Learners_of_a_seed_share_tasks_initialisation_and_batches_and_the_task_records_match_a_float64_recomputation()
    {
        var recorder = new RunRecorder { KeepWeights = true };
        var bench = new PlasticityBench(Pool, tasks: 3, samplesPerTask: 20, epochsPerTask: 1, batchSize: 8, hidden: 6, learningRate: 0.01, device: CPU)
            { Tau = 0.2, Instrument = recorder.Instrument };
        var learners = new[] { PlasticityLearner.Plain(), PlasticityLearner.ShrinkAndPerturb(0.9, 0.01), PlasticityLearner.ContinualBackprop(0.5, maturity: 0) };
        var runs = bench.Compare(learners, [1, 2]);
        foreach (var seed in runs.Seeds)
        {
            var records = learners.Select(l => recorder.Runs[(l.Name, seed)]).ToArray();
            Assert.All(records, r => Assert.Equal(records[0].Initial.Values, r.Initial.Values));
            Assert.All(records, r => Assert.Equal(records[0].Batches.Select(b => b.Inputs), r.Batches.Select(b => b.Inputs)));
            Assert.All(records, r => Assert.Equal(records[0].Batches.Select(b => b.Targets), r.Batches.Select(b => b.Targets)));
            Assert.Equal(9, records[0].Batches.Count);   // 3 tasks × ⌈20 / 8⌉ steps
            Assert.True(runs["continual backprop", seed].Replaced > 0);
            Assert.Equal(0, runs["plain", seed].Replaced);

            var run = runs["plain", seed];
            var features = RunRecorder.Doubles(Pool.Features);
            var labels = Pool.Labels.data<long>().ToArray();
            for (int t = 0; t < 3; t++)
            {
                var (indices, permutation) = bench.Task(seed, t);
                Assert.Equal(20, indices.Distinct().Count());
                Assert.Equal(new long[] { 0, 1, 2 }, permutation.Order());
                var x = indices.Select(i => features[(int)(i * 4)..(int)(i * 4 + 4)]).ToArray();
                var y = indices.Select(i => permutation[labels[i]]).ToArray();
                (double Accuracy, double[][] H1, double[][] H2, double[] All) Net(Dictionary<string, double[]> w)
                {
                    var p = w.Values.ToArray();
                    var h1 = Layer(p[0], p[1], x, true);
                    var h2 = Layer(p[2], p[3], h1, true);
                    var z = Layer(p[4], p[5], h2, false);
                    double acc = z.Select((row, i) => Array.IndexOf(row, row.Max()) == y[i] ? 1.0 : 0).Average();
                    return (acc, h1, h2, p.SelectMany(a => a).ToArray());
                }
                var before = Net(t == 0 ? records[0].Initial : records[0].AfterStep[3 * t - 1]);
                var after = Net(records[0].AfterStep[3 * t + 2]);
                var s = run.Stats[t];
                Assert.Equal(t + 1, s.Task);
                Assert.Equal(before.Accuracy, s.Before, 12);
                Assert.Equal(after.Accuracy, s.Accuracy, 12);
                Assert.Equal((Dormant(after.H1, 0.2) + Dormant(after.H2, 0.2)) / 2, s.Dormant, 12);
                Assert.Equal(Math.Sqrt(after.All.Sum(v => v * v)), s.WeightNorm, 4);
                var sigma = Matrix<double>.Build.DenseOfRowArrays(after.H2).Svd(computeVectors: false).S.ToArray();
                double total = sigma.Sum();
                double rank = total == 0 ? 0 : Math.Exp(-sigma.Where(v => v > 0).Sum(v => v / total * Math.Log(v / total)));
                Assert.Equal(rank, s.EffectiveRank, 3);
            }
            Assert.Equal(run.Stats.Take(2).Average(x => x.Accuracy), run.Early(2, x => x.Accuracy), 12);
            Assert.Equal(run.Stats.Skip(1).Average(x => x.Accuracy), run.Late(2, x => x.Accuracy), 12);
        }
    }

    [Fact]
    public void Bad_declarations_fail_with_messages_that_name_the_problem()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PlasticityLearner.ShrinkAndPerturb(1.5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PlasticityLearner.ShrinkAndPerturb(0.9, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PlasticityLearner.ContinualBackprop(2, 10));
        Assert.Contains("pool's size", Assert.Throws<ArgumentOutOfRangeException>(() => new PlasticityBench(Pool, 3, 100, 1, 8, 6, 0.01, CPU)).Message);
        var bench = new PlasticityBench(Pool, 1, 20, 1, 8, 6, 0.01, CPU);
        Assert.Contains("repeated: plain", Assert.Throws<ArgumentException>(() => bench.Compare([PlasticityLearner.Plain(), PlasticityLearner.Plain()], [1])).Message);
        var run = new PlasticityRun("plain", 1, [new TaskStats(1, 0, 1, 0, 1, 1)], 0, 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => run.Early(0, s => s.Accuracy));
    }

    [Fact]
    public void Seeds_trained_at_once_give_the_records_of_one_after_another()
    {
        var learners = new[] { PlasticityLearner.Plain(), PlasticityLearner.ShrinkAndPerturb(0.9, 0.01), PlasticityLearner.ContinualBackprop(0.5, maturity: 0) };
        int[] seeds = [3, 1, 2, 5];
        (LossLab.Experiments.MethodComparison<PlasticityRun> Runs, RunRecorder Recorder) Made(int workers)
        {
            var recorder = new RunRecorder { KeepWeights = true };
            var bench = new PlasticityBench(Pool, tasks: 2, samplesPerTask: 20, epochsPerTask: 1, batchSize: 8, hidden: 6, learningRate: 0.01, device: CPU)
                { Tau = 0.2, Instrument = recorder.Instrument, Workers = workers };
            return (bench.Compare(learners, seeds), recorder);
        }
        var (one, three) = (Made(1), Made(3));
        foreach (var learner in learners)
            foreach (int seed in seeds)
            {
                Assert.Equal(one.Runs[learner.Name, seed].Stats, three.Runs[learner.Name, seed].Stats);
                Assert.Equal(one.Runs[learner.Name, seed].Replaced, three.Runs[learner.Name, seed].Replaced);
                Assert.Equal(one.Recorder.Final(learner.Name, seed), three.Recorder.Final(learner.Name, seed));
            }
        Assert.NotEqual(one.Runs["plain", 1].Stats, one.Runs["plain", 2].Stats);
        Assert.NotEqual(one.Recorder.Final("plain", 1), one.Recorder.Final("plain", 2));
    }
}
