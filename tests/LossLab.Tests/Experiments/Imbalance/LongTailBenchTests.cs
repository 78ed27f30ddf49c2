using LossLab.Experiments.Imbalance;
using LossLab.Training;
using TorchSharp;
using static TorchSharp.torch;
using LabeledTensors = LossLab.Data.LabeledTensors;

namespace LossLab.Tests.Experiments.Imbalance;

public class LongTailBenchTests
{
    // 3 classes, 2 features, long-tailed counts 12/6/2; a test set of 3 per class.
    static LabeledTensors Data(int[] counts, int seed)
    {
        var rng = Seeds.Random(seed);
        var x = new List<float>();
        var y = new List<long>();
        for (int c = 0; c < counts.Length; c++)
            for (int i = 0; i < counts[c]; i++)
            {
                x.Add((float)(2 * c + rng.NextDouble()));
                x.Add((float)(-c + rng.NextDouble()));
                y.Add(c);
            }
        return new LabeledTensors(tensor(x.ToArray()).reshape(-1, 2), tensor(y.ToArray()));
    }

    // One seed at a time unless a test asks for more: several tests record what their objectives see, in order.
    static LongTailBench Bench(LabeledTensors train, LabeledTensors test, int epochs = 2, int workers = 1) => new(train, test)
    {
        Body = () => LongTailNetwork.MlpBody(2, 5), FeatureSize = 5, Epochs = epochs, BatchSize = 4, Device = CPU,
        Optimizer = ps => optim.SGD(ps, 0.1), Workers = workers,
    };

    [Fact]
    public void Every_arm_of_a_seed_starts_from_the_same_body_and_sees_the_same_batches()
    {
        using var train = Data([12, 6, 2], 1);
        using var test = Data([3, 3, 3], 2);
        var initial = new Dictionary<(string, int), float[]>();
        var batches = new Dictionary<(string, int), List<long[]>>();
        LongTailMethod Recording(string name, HeadKind head) => LongTailMethod.Objective(name, net =>
        {
            initial[(name, initial.Count)] = net.Body.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
            var seen = batches[(name, batches.Count)] = [];
            return Objectives.From(b =>
            {
                seen.Add(b.Targets.data<long>().ToArray());
                return nn.functional.cross_entropy(net.call(b.Inputs), b.Targets);
            });
        }, head);
        var runs = Bench(train, test).Run([Recording("linear", HeadKind.Linear), Recording("cosine", HeadKind.NormedLinear)], [7, 8]);
        Assert.Equal(4, initial.Count);
        // Order of runs: seed 7 (linear, cosine), seed 8 (linear, cosine).
        Assert.Equal(initial[("linear", 0)], initial[("cosine", 1)]);
        Assert.Equal(initial[("linear", 2)], initial[("cosine", 3)]);
        Assert.NotEqual(initial[("linear", 0)], initial[("linear", 2)]);
        var a = batches[("linear", 0)]; var b = batches[("cosine", 1)];
        Assert.Equal(2 * 5, a.Count);   // 20 samples in batches of 4, two epochs
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++) Assert.Equal(a[i], b[i]);
        Assert.NotEqual(batches[("linear", 0)].SelectMany(t => t), batches[("linear", 2)].SelectMany(t => t));
        Assert.Equal(2, runs["cosine", 8].EpochLoss.Length);
    }

    [Fact]
    public void Scores_equal_an_explicit_float64_computation()
    {
        // Six test samples of three classes; training counts 150 (many), 50 (medium), 10 (few).
        var logits = tensor(new float[] { 3, 1, 0, 2, 0, 1, 0, 2, 1, 1, 3, 0, 0, 1, 2, 0, 2, 1 }).reshape(6, 3);
        var labels = tensor(new long[] { 0, 0, 1, 1, 2, 2 });
        var weight = tensor(new float[] { 3, 4, 0, 1, 2, 2 }).reshape(3, 2);
        var s = LongTailScores.Of(logits, labels, [150, 50, 10], weight);
        // Predictions by hand: 0, 0, 1, 1, 2, 1 → class 0: 2/2, class 1: 2/2, class 2: 1/2.
        Assert.Equal(new[] { 1.0, 1.0, 0.5 }, s.PerClass);
        Assert.Equal(5.0 / 6, s.Accuracy, 12);
        Assert.Equal((1 + 1 + 0.5) / 3, s.BalancedAccuracy, 12);
        Assert.Equal(1.0, s.Many);
        Assert.Equal(1.0, s.Medium);
        Assert.Equal(0.5, s.Few);
        Assert.Equal(5.0, s.RowNorms[0], 12);
        Assert.Equal(1.0, s.RowNorms[1], 12);
        Assert.Equal(Math.Sqrt(8), s.RowNorms[2], 6);
        var cos = s.RowCosines();
        Assert.Equal(1.0, cos[0, 0], 12);
        Assert.Equal(4 / 5.0, cos[0, 1], 12);                      // (3, 4)·(0, 1) / 5
        Assert.Equal((3 * 2 + 4 * 2) / (5 * Math.Sqrt(8)), cos[0, 2], 12);
    }

    [Fact]
    public void A_single_logit_is_a_binary_classifier_with_float_targets()
    {
        var logits = tensor(new float[] { 2, -1, 0.5f, -3 }).reshape(4, 1);
        var labels = tensor(new float[] { 1, 1, 0, 0 }).reshape(4, 1);
        var s = LongTailScores.Of(logits, labels, [2, 2], ones(1, 3));
        // Predicted 1, 0, 1, 0: class 0 (negatives) 1/2, class 1 (positives) 1/2.
        Assert.Equal(new[] { 0.5, 0.5 }, s.PerClass);
        Assert.Equal(0.5, s.BalancedAccuracy, 12);
    }

    [Fact]
    public void A_post_hoc_method_reads_its_source_run_of_the_same_seed()
    {
        using var train = Data([12, 6, 2], 1);
        using var test = Data([3, 3, 3], 2);
        var shift = tensor(new float[] { 0, 0, 5 });
        var runs = Bench(train, test).Run(
            [LongTailMethod.Loss("CE", () => new LossLab.Losses.CrossEntropyLoss()), LongTailMethod.PostHoc("CE + 5 on class 2", "CE", z => z + shift),
             LongTailMethod.Loss("other", () => new LossLab.Losses.CrossEntropyLoss(), HeadKind.NormedLinear)], [3, 4]);
        foreach (var seed in runs.Seeds)
        {
            var source = runs["CE", seed];
            var derived = runs["CE + 5 on class 2", seed];
            Assert.Equal("CE", derived.From);
            Assert.Equal((source.TestLogits + shift).data<float>().ToArray(), derived.TestLogits.data<float>().ToArray());
            Assert.Equal(source.RowNorms, derived.RowNorms);
            Assert.Equal(LongTailScores.Of(source.TestLogits + shift, test.Labels, [12, 6, 2], torch.tensor(source.Scores.ClassifierRows)).BalancedAccuracy,
                derived.BalancedAccuracy);
        }
        Assert.NotEqual(runs["CE", 3].TestLogits.data<float>().ToArray(), runs["CE", 4].TestLogits.data<float>().ToArray());
    }

    [Fact]
    public void A_stage_continues_a_copy_of_its_source_network_and_its_curves()
    {
        using var train = Data([12, 6, 2], 1);
        using var test = Data([3, 3, 3], 2);
        var bench = new LongTailBench(train, test)
        {
            Body = () => LongTailNetwork.MlpBody(2, 5), FeatureSize = 5, Epochs = 2, BatchSize = 4, Device = CPU,
            Optimizer = ps => optim.SGD(ps, 0.1), Curves = [LongTailCurves.FisherRatio],
        };
        var runs = bench.Run([LongTailMethod.Loss("stage 1", () => new LossLab.Losses.CrossEntropyLoss()),
            LongTailMethod.Continue("stage 2", "stage 1", 3, net => Objectives.OnOutputs(net, new LossLab.Losses.CrossEntropyLoss()), net => net.Head.parameters().ToArray())], [1]);
        var one = runs["stage 1", 1]; var two = runs["stage 2", 1];
        Assert.Equal(new[] { 1, 2 }, one.CurveEpochs);
        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, two.CurveEpochs);
        Assert.Equal(one.Curve("fisher_ratio"), two.Curve("fisher_ratio").Take(2));
        // Only the head trained in stage 2, so the features and their Fisher ratio are frozen at stage 1's last value.
        Assert.All(two.Curve("fisher_ratio").Skip(2), v => Assert.Equal(one.Last("fisher_ratio"), v, 10));
        Assert.Equal(5, two.EpochLoss.Length);
    }

    [Fact]
    public void Seeds_trained_at_once_give_the_numbers_of_seeds_trained_one_after_another()
    {
        using var train = Data([12, 6, 2], 1);
        using var test = Data([3, 3, 3], 2);
        var shift = tensor(new float[] { 0, 0, 1 });
        LongTailMethod[] methods =
        [
            LongTailMethod.Loss("CE", () => new LossLab.Losses.CrossEntropyLoss()),
            LongTailMethod.Continue("head only", "CE", 2, net => Objectives.OnOutputs(net, new LossLab.Losses.CrossEntropyLoss()), net => net.Head.parameters().ToArray()),
            LongTailMethod.PostHoc("shifted", "head only", z => z + shift),
            LongTailMethod.Loss("cosine", () => new LossLab.Losses.CrossEntropyLoss(), HeadKind.NormedLinear),
        ];
        int[] seeds = [5, 1, 4, 2, 3];
        var one = Bench(train, test, epochs: 3, workers: 1).Run(methods, seeds);
        var reports = new List<(int Done, string Method, int Seed)>();
        int caller = Environment.CurrentManagedThreadId;
        var three = Bench(train, test, epochs: 3, workers: 3).Run(methods, seeds, r =>
        {
            Assert.Equal(caller, Environment.CurrentManagedThreadId);
            reports.Add((r.Done, r.Method, r.Seed));
        });
        foreach (var seed in seeds)
            foreach (var m in methods)
            {
                var a = one[m.Name, seed]; var b = three[m.Name, seed];
                Assert.Equal(a.EpochLoss, b.EpochLoss);
                Assert.Equal(a.TestLogits.data<float>().ToArray(), b.TestLogits.data<float>().ToArray());
                Assert.Equal(a.Scores.ClassifierRows, b.Scores.ClassifierRows);
            }
        Assert.Equal(Enumerable.Range(1, 20), reports.Select(r => r.Done));
        Assert.Equal(seeds.SelectMany(s => methods.Select(m => (m.Name, s))).Order(), reports.Select(r => (r.Method, r.Seed)).Order());
        // Each seed's methods finish in their declared order, on its own thread.
        foreach (var seed in seeds)
            Assert.Equal(methods.Select(m => m.Name), reports.Where(r => r.Seed == seed).Select(r => r.Method));
        Assert.NotEqual(one["CE", 1].TestLogits.data<float>().ToArray(), one["CE", 2].TestLogits.data<float>().ToArray());
    }

    // Mean −log softmax(z)_y over rows, in float64 by explicit loops.
    static double Nll(Tensor logits, Tensor labels)
    {
        var z = logits.data<float>().ToArray();
        var y = labels.data<long>().ToArray();
        int c = (int)logits.shape[1];
        double total = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < c; k++) max = Math.Max(max, z[i * c + k]);
            double sum = 0;
            for (int k = 0; k < c; k++) sum += Math.Exp(z[i * c + k] - max);
            total += Math.Log(sum) + max - z[i * c + y[i]];
        }
        return total / y.Length;
    }

    [Fact]
    public void The_early_stopped_checkpoint_is_the_epoch_of_lowest_validation_nll()
    {
        using var train = Data([12, 6, 2], 1);
        using var test = Data([3, 3, 3], 2);
        // Validation images like the training ones, but every other label moved to the next class: training past the
        // first epochs raises the validation NLL, so the best epoch is not the last.
        using var clean = Data([4, 4, 4], 3);
        using var validation = new LabeledTensors(clean.Features, tensor(clean.Labels.data<long>().Select((l, i) => i % 2 == 0 ? l : (l + 1) % 3).ToArray()));
        const int epochs = 8;
        LongTailBench BenchOf(int e, bool early) => new(train, test)
        {
            Body = () => LongTailNetwork.MlpBody(2, 5), FeatureSize = 5, Epochs = e, BatchSize = 4, Device = CPU,
            Optimizer = ps => optim.SGD(ps, 0.3), Validation = validation, EarlyStopping = early,
        };
        LongTailMethod[] methods = [LongTailMethod.Loss("CE", () => new LossLab.Losses.CrossEntropyLoss()), LongTailMethod.PostHoc("CE + 1 on class 2", "CE", z => z + tensor(new float[] { 0, 0, 1 }))];
        var run = BenchOf(epochs, early: true).Run(methods, [5])["CE", 5];
        // The reference: separate runs of 1..8 epochs with the same seed (the same first batches), scored by hand.
        var lastOf = Enumerable.Range(1, epochs).Select(e => BenchOf(e, early: false).Run(methods[..1], [5])["CE", 5]).ToArray();
        var nll = lastOf.Select(r => Nll(r.ValidationLogits!, validation.Labels)).ToArray();
        int best = Array.IndexOf(nll, nll.Min()) + 1;
        Assert.InRange(best, 1, epochs - 1);
        var checkpoint = Assert.IsType<LongTailCheckpoint>(run.EarlyStopped);
        Assert.Equal(best, checkpoint.Epoch);
        Assert.Equal(nll[best - 1], checkpoint.ValidationNll, 9);
        Assert.Equal(lastOf[best - 1].TestLogits.data<float>().ToArray(), checkpoint.TestLogits.data<float>().ToArray());
        Assert.Equal(lastOf[best - 1].ValidationLogits!.data<float>().ToArray(), checkpoint.ValidationLogits.data<float>().ToArray());
        Assert.Equal(lastOf[^1].TestLogits.data<float>().ToArray(), run.TestLogits.data<float>().ToArray());   // the last checkpoint is unchanged
        // A post-hoc method adjusts the early-stopped logits too.
        var derived = BenchOf(epochs, early: true).Run(methods, [5])["CE + 1 on class 2", 5].EarlyStopped!;
        Assert.Equal(checkpoint.Epoch, derived.Epoch);
        Assert.Equal((checkpoint.TestLogits + tensor(new float[] { 0, 0, 1 })).data<float>().ToArray(), derived.TestLogits.data<float>().ToArray());
        // Without a validation set there is nothing to stop on.
        var missing = Assert.Throws<ArgumentException>(() => Bench(train, test) is var b ? new LongTailBench(train, test)
        {
            Body = b.Body, FeatureSize = 5, Epochs = 2, Optimizer = b.Optimizer, Device = CPU, EarlyStopping = true,
        }.Run(methods, [5]) : null);
        Assert.Contains("no Validation set", missing.Message);
    }

    [Fact]
    public void Bad_declarations_give_clear_errors()
    {
        using var train = Data([12, 6, 2], 1);
        using var test = Data([3, 3, 3], 2);
        var empty = Assert.Throws<ArgumentException>(() => Bench(train, test).Run([], [1]));
        Assert.Contains("at least one method", empty.Message);
        var head = Assert.Throws<ArgumentOutOfRangeException>(() => LongTailMethod.Loss("x", () => new LossLab.Losses.CrossEntropyLoss(), (HeadKind)7));
        Assert.Contains("unknown head", head.Message);
        Assert.Contains("NormedLinear", head.Message);
        var epochs = Assert.Throws<ArgumentOutOfRangeException>(() => Bench(train, test, epochs: 0));
        Assert.Contains("Epochs must be at least 1", epochs.Message);
        var order = Assert.Throws<ArgumentException>(() => Bench(train, test).Run(
            [LongTailMethod.PostHoc("adjusted", "CE", z => z), LongTailMethod.Loss("CE", () => new LossLab.Losses.CrossEntropyLoss())], [1]));
        Assert.Contains("not an earlier method", order.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => LongTailMethod.Continue("s", "CE", 0, net => Objectives.CrossEntropy(net)));
        var outputs = Assert.Throws<ArgumentException>(() => new LongTailBench(train, test)
        {
            Body = () => LongTailNetwork.MlpBody(2, 5), FeatureSize = 5, Epochs = 1, Outputs = 2, Optimizer = ps => optim.SGD(ps, 0.1),
        }.Run([LongTailMethod.Loss("CE", () => new LossLab.Losses.CrossEntropyLoss())], [1]));
        Assert.Contains("3 class counts", outputs.Message);
    }
}
