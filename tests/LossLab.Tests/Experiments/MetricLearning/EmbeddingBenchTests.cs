using LossLab.Evaluation;
using LossLab.Experiments;
using LossLab.Experiments.MetricLearning;
using LossLab.Losses.Margins;
using LossLab.Losses.Pairs;
using LossLab.Miners;
using LossLab.Optim;
using LossLab.Training;
using TorchSharp;
using Linear = TorchSharp.Modules.Linear;
using static TorchSharp.torch;
using LabeledTensors = LossLab.Data.LabeledTensors;

namespace LossLab.Tests.Experiments.MetricLearning;

public class EmbeddingBenchTests
{
    /// <summary>Training data whose first feature is the sample's index: 4 classes of 6 samples (class-sorted), features
    /// (index, label, two seeded noise values).</summary>
    static LabeledTensors IndexedData(int classes = 4, int perClass = 6)
    {
        var random = new Random(7);
        int n = classes * perClass;
        var x = new float[n * 4];
        var y = new long[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i / perClass;
            x[4 * i] = i;
            x[4 * i + 1] = y[i];
            x[4 * i + 2] = (float)random.NextDouble();
            x[4 * i + 3] = (float)random.NextDouble();
        }
        return new LabeledTensors(tensor(x, [n, 4]), tensor(y));
    }

    /// <summary>A linear encoder that records, per build, its initial weights and the sample indices (feature 0) of every
    /// batch it sees in training mode.</summary>
    sealed class Recorder : nn.Module<Tensor, Tensor>
    {
        readonly Linear linear;
        public readonly float[] InitialWeights;
        public readonly List<long[]> Batches = [];

        public Recorder() : base(nameof(Recorder))
        {
            linear = nn.Linear(4, 3);
            RegisterComponents();
            InitialWeights = linear.weight!.data<float>().ToArray().Concat(linear.bias!.data<float>().ToArray()).ToArray();
        }

        public override Tensor forward(Tensor x)
        {
            if (training) Batches.Add(x.select(1, 0).cpu().data<float>().Select(v => (long)Math.Round(v)).ToArray());
            return linear.forward(x);
        }
    }

    static EmbeddingBench RecordingBench(List<(string Method, Recorder Encoder)> built, LabeledTensors train, LabeledTensors test) => new()
    {
        Methods =
        [
            EmbeddingMethod.Loss("contrastive", () => new ContrastiveLoss(0, 1), 1e-2),
            EmbeddingMethod.Loss("batch-hard", () => new TripletMarginLoss(0.2), 3e-2, new BatchHardMiner()),
            EmbeddingMethod.Head("cosface", classes => new CosFaceLoss(classes, 3, 0.35, 30), 1e-2),
        ],
        Train = train,
        Test = test,
        Encoder = method => { var e = new Recorder(); built.Add((method, e)); return e; },
        Device = CPU,
    };

    [Fact]
    public void Every_arm_of_a_seed_starts_from_the_same_weights_and_sees_the_same_pk_batches()
    {
        using var train = IndexedData();
        using var test = IndexedData();
        var built = new List<(string Method, Recorder Encoder)>();
        var bench = RecordingBench(built, train, test) with { ClassesPerBatch = 2, SamplesPerClass = 3, Steps = 5, Workers = 1 };   // builds in seed order
        var runs = bench.Run([3, 4]);

        Assert.Equal(6, built.Count);   // seeds outer: seed 3's three arms, then seed 4's
        var labels = train.Labels.data<long>().ToArray();
        foreach (var (seed, arms) in new[] { (3, built.Take(3).ToArray()), (4, built.Skip(3).ToArray()) })
        {
            // The reference: an independent sampler with the seed gives each step's indices.
            var sampler = new PkBatchSampler(labels, 2, 3, seed);
            var expected = Enumerable.Range(0, 5).Select(_ => sampler.Next()).ToArray();
            foreach (var (method, encoder) in arms)
            {
                Assert.Equal(arms[0].Encoder.InitialWeights, encoder.InitialWeights);
                Assert.Equal(5, encoder.Batches.Count);
                for (int s = 0; s < 5; s++) Assert.Equal(expected[s], encoder.Batches[s]);
                Assert.Equal(5, runs[method, seed].Losses.Count);
            }
        }
        Assert.NotEqual(built[0].Encoder.InitialWeights, built[3].Encoder.InitialWeights);   // seeds differ
        Assert.NotEqual(built[0].Encoder.Batches[0], built[3].Encoder.Batches[0]);
    }

    [Fact]
    public void Every_arm_of_a_seed_starts_from_the_same_weights_and_sees_the_same_shuffled_batches()
    {
        using var train = IndexedData();
        using var test = IndexedData();
        var built = new List<(string Method, Recorder Encoder)>();
        var bench = RecordingBench(built, train, test) with { Epochs = 2, BatchSize = 8, Workers = 1 };   // builds in seed order
        bench.Run([3, 4]);

        foreach (var arms in new[] { built.Take(3).ToArray(), built.Skip(3).ToArray() })
            foreach (var (_, encoder) in arms)
            {
                Assert.Equal(arms[0].Encoder.InitialWeights, encoder.InitialWeights);
                Assert.Equal(arms[0].Encoder.Batches.Count, encoder.Batches.Count);
                for (int b = 0; b < encoder.Batches.Count; b++) Assert.Equal(arms[0].Encoder.Batches[b], encoder.Batches[b]);
            }
        // Each epoch is a permutation of the 24 samples in 3 batches of 8.
        var first = built[0].Encoder.Batches;
        Assert.Equal(6, first.Count);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (long)i), first.Take(3).SelectMany(b => b).Order());
        Assert.NotEqual(first[0], built[3].Encoder.Batches[0]);
    }

    [Fact]
    public void Scores_equal_a_float64_computation_on_hand_made_embeddings()
    {
        // Eight 2-D embeddings of three classes, at hand-picked angles (no ties), and a reference set of five.
        double[][] z = [[1, 0.1], [0.9, 0.35], [0.2, 1], [-0.1, 0.95], [0.45, 0.8], [-1, -0.2], [-0.8, -0.5], [0.7, -0.7]];
        long[] y = [0, 0, 1, 1, 1, 2, 2, 0];
        double[][] r = [[1, 0], [0.1, 1], [-1, -0.1], [0.6, 0.6], [0.5, -0.9]];
        long[] ry = [0, 1, 2, 1, 0];
        using var test = new LabeledTensors(tensor(z.SelectMany(v => v).ToArray(), [8, 2]), tensor(y));
        using var reference = new LabeledTensors(tensor(r.SelectMany(v => v).ToArray(), [5, 2]), tensor(ry));
        var bench = new EmbeddingBench
        {
            Methods = [EmbeddingMethod.Loss("unused", () => new ContrastiveLoss(), 1e-3)],
            Train = reference, Test = test, Reference = reference, Encoder = _ => nn.Identity(),
            RecallAtK = [1, 2], KnnK = 3, Geometry = true, Far = 0.25, Device = CPU,
        };
        var run = bench.ScoreInputs();

        // The reference computation, in float64 loops.
        int n = z.Length;
        double Cos(double[] a, double[] b) => (a[0] * b[0] + a[1] * b[1]) / Math.Sqrt((a[0] * a[0] + a[1] * a[1]) * (b[0] * b[0] + b[1] * b[1]));
        double[] Unit(double[] a) { double l = Math.Sqrt(a[0] * a[0] + a[1] * a[1]); return [a[0] / l, a[1] / l]; }
        double r1 = 0, r2 = 0, map = 0;
        for (int q = 0; q < n; q++)
        {
            var ranked = Enumerable.Range(0, n).Where(j => j != q).OrderByDescending(j => Cos(z[q], z[j])).ToArray();
            int relevant = y.Count(v => v == y[q]) - 1;
            r1 += y[ranked[0]] == y[q] ? 1 : 0;
            r2 += ranked.Take(2).Any(j => y[j] == y[q]) ? 1 : 0;
            double ap = 0; int hits = 0;
            for (int i = 0; i < relevant; i++) if (y[ranked[i]] == y[q]) ap += ++hits / (double)(i + 1);
            map += ap / relevant;
        }
        Assert.Equal(r1 / n, run.RecallAt(1), 12);
        Assert.Equal(r2 / n, run.RecallAt(2), 12);
        Assert.Equal(map / n, run.MapAtR, 12);

        int knnRight = 0;
        for (int q = 0; q < n; q++)
        {
            var votes = Enumerable.Range(0, r.Length).OrderByDescending(j => Cos(z[q], r[j])).Take(3).Select(j => ry[j]).ToArray();
            long winner = votes.GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => Array.IndexOf(votes, g.Key)).First().Key;
            knnRight += winner == y[q] ? 1 : 0;
        }
        Assert.Equal(knnRight / (double)n, run.Knn, 12);

        double potential = 0, tolerance = 0, spread = 0; int samePairs = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double[] a = Unit(z[i]), b = Unit(z[j]);
                double d2 = (a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]);
                spread += Math.Sqrt(d2);
                if (i < j) potential += Math.Exp(-2 * d2);
                if (i != j && y[i] == y[j]) { tolerance += Cos(z[i], z[j]); samePairs++; }
            }
        Assert.Equal(Math.Log(potential / (n * (n - 1) / 2.0)), run.Uniformity, 10);
        Assert.Equal(tolerance / samePairs, run.Tolerance, 12);
        Assert.Equal(spread / (n * n), run.Spread, 6);   // cdist's diagonal is √(ε) rather than 0

        var genuine = new List<double>();
        var impostor = new List<double>();
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                (y[i] == y[j] ? genuine : impostor).Add(Cos(z[i], z[j]));
        double threshold = impostor.OrderByDescending(s => s).ElementAt((int)Math.Floor(0.25 * impostor.Count));
        Assert.Equal(genuine.Count(s => s > threshold) / (double)genuine.Count, run.Tar, 12);
        double wins = genuine.Sum(g => impostor.Sum(m => g > m ? 1.0 : g == m ? 0.5 : 0.0));
        Assert.Equal(wins / (genuine.Count * impostor.Count), run.Auroc, 12);
    }

    [Fact]
    public void Measure_sees_the_trained_loss_and_the_test_embeddings_on_the_cpu()
    {
        using var train = IndexedData();
        using var test = IndexedData();
        var seen = new List<(string Method, bool HeadIsLoss, string Device, long Rows)>();
        var bench = RecordingBench([], train, test) with
        {
            Epochs = 1, BatchSize = 8,
            Measure = run =>
            {
                seen.Add((run.Method, run.Loss is CosFaceLoss, run.TestEmbeddings.device.ToString(), run.TestEmbeddings.shape[0]));
                run.Add("rows", run.TestEmbeddings.shape[0]);
                run.Add("norms", run.TestEmbeddings.norm(1).to_type(ScalarType.Float64).data<double>().ToArray());
            },
        };
        var runs = bench.Run([1]);
        Assert.Equal(["contrastive", "batch-hard", "cosface"], seen.Select(s => s.Method));
        Assert.Equal([false, false, true], seen.Select(s => s.HeadIsLoss));
        Assert.All(seen, s => { Assert.Equal("cpu", s.Device); Assert.Equal(24, s.Rows); });
        Assert.Equal(24, runs["cosface", 1]["rows"]);
        Assert.Equal(24, runs["cosface", 1].Vector("norms").Length);
        Assert.Equal(3, runs["cosface", 1].Losses.Count);
        var missing = Assert.Throws<KeyNotFoundException>(() => runs["cosface", 1]["knn"]);
        Assert.Contains("rows", missing.Message);
    }

    [Fact]
    public void Bad_declarations_fail_with_messages_that_name_the_knob()
    {
        using var train = IndexedData(classes: 4, perClass: 6);
        using var test = IndexedData();
        var bench = RecordingBench([], train, test) with { ClassesPerBatch = 2, SamplesPerClass = 3, Steps = 5 };

        var none = Assert.Throws<ArgumentException>(() => (bench with { Methods = [] }).Run([1]));
        Assert.Contains("at least one method", none.Message);
        var tooManyClasses = Assert.Throws<ArgumentOutOfRangeException>(() => (bench with { ClassesPerBatch = 5 }).Run([1]));
        Assert.Equal("ClassesPerBatch", tooManyClasses.ParamName);
        Assert.Contains("4 classes", tooManyClasses.Message);
        var tooManySamples = Assert.Throws<ArgumentOutOfRangeException>(() => (bench with { SamplesPerClass = 7 }).Run([1]));
        Assert.Equal("SamplesPerClass", tooManySamples.ParamName);
        Assert.Contains("only 6 samples", tooManySamples.Message);
        var noSteps = Assert.Throws<ArgumentOutOfRangeException>(() => (bench with { Steps = 0 }).Run([1]));
        Assert.Equal("Steps", noSteps.ParamName);
        var both = Assert.Throws<ArgumentException>(() => (bench with { Epochs = 3 }).Run([1]));
        Assert.Contains("not both", both.Message);
        var epochMode = bench with { ClassesPerBatch = 0, SamplesPerClass = 0, Steps = 0, BatchSize = 8 };
        var noEpochs = Assert.Throws<ArgumentOutOfRangeException>(() => epochMode.Run([1]));
        Assert.Equal("Epochs", noEpochs.ParamName);
        var bigBatch = Assert.Throws<ArgumentOutOfRangeException>(() => (epochMode with { Epochs = 1, BatchSize = 25 }).Run([1]));
        Assert.Contains("24 training samples", bigBatch.Message);
        var views = Assert.Throws<ArgumentException>(() => (epochMode with { Epochs = 1,
            Methods = [EmbeddingMethod.Views("simclr", () => new NTXentLoss(0.1), (l, a, b, _) => l.Views(a, b), 1e-3)] }).Run([1]));
        Assert.Equal("Augment", views.ParamName);
        var repeated = Assert.Throws<ArgumentException>(() => (bench with { Methods = [bench.Methods[0], bench.Methods[0]] }).Run([1]));
        Assert.Contains("repeated: contrastive", repeated.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => bench.Methods[0] with { LearningRate = 0 });
        var noSeeds = Assert.Throws<ArgumentException>(() => bench.Run([]));
        Assert.Equal("seeds", noSeeds.ParamName);
        var minerOnHead = Assert.Throws<InvalidOperationException>(() => (bench with
            { Methods = [EmbeddingMethod.Loss("ce", () => nn.CrossEntropyLoss(), 1e-3, new BatchHardMiner())] }).Run([1]));
        Assert.Contains("not a PairLoss", minerOnHead.Message);
    }

    // An augmentation that draws from torch's global generator, as DigitAugmentation does.
    static Tensor Jitter(Tensor x) => x + 0.1 * randn_like(x);

    static EmbeddingBench DrawingBench(LabeledTensors train, LabeledTensors test, int workers) => new()
    {
        Methods =
        [
            EmbeddingMethod.Loss("contrastive", () => new ContrastiveLoss(0, 1), 1e-2),
            EmbeddingMethod.Head("cosface", classes => new CosFaceLoss(classes, 3, 0.35, 30), 1e-2),
            EmbeddingMethod.Views("simclr", () => new NTXentLoss(0.1), (l, a, b, _) => l.Views(a, b), 1e-2),
            // A training set drawn from the global generator right after the encoder and the loss.
            EmbeddingMethod.Loss("jittered", () => new ContrastiveLoss(0, 1), 1e-2) with
                { TrainingSet = (d, _) => new LabeledTensors(Jitter(d.Features), d.Labels.clone()) },
        ],
        Train = train, Test = test, Encoder = _ => nn.Linear(4, 3), Augment = Jitter,
        Epochs = 2, BatchSize = 8, RecallAtK = [1], KnnK = 3, Geometry = true, Device = CPU, Workers = workers,
        Measure = run => run.Add("weights", run.Encoder!.parameters().SelectMany(p => p.detach().to_type(ScalarType.Float64).data<double>().ToArray()).ToArray()),
    };

    [Fact]
    public void Seeds_trained_at_once_give_the_records_of_one_after_another()
    {
        using var train = IndexedData();
        using var test = IndexedData();
        int[] seeds = [3, 1, 2, 5];
        var (one, three) = (DrawingBench(train, test, 1).Run(seeds), DrawingBench(train, test, 3).Run(seeds));
        var (untrainedOne, untrainedThree) = (DrawingBench(train, test, 1).Untrained(seeds), DrawingBench(train, test, 3).Untrained(seeds));
        foreach (var (a, b) in one.Methods.SelectMany(m => seeds.Select(s => (one[m, s], three[m, s])))
            .Concat(seeds.Select(s => (untrainedOne["untrained encoder", s], untrainedThree["untrained encoder", s]))))
        {
            Assert.Equal(a.Losses, b.Losses);
            Assert.Equal(a.Scores.OrderBy(kv => kv.Key), b.Scores.OrderBy(kv => kv.Key));
            Assert.Equal((a.RecallAt(1), a.MapAtR), (b.RecallAt(1), b.MapAtR));
            Assert.Equal(a.Vector("weights"), b.Vector("weights"));
        }
        foreach (var m in one.Methods)
            Assert.NotEqual(one[m, 1].Vector("weights"), one[m, 2].Vector("weights"));
        Assert.NotEqual(one["simclr", 1].Alignment, one["simclr", 2].Alignment);
    }

    [Fact]
    public void A_two_view_run_beside_other_seeds_draws_its_views_as_a_run_alone()
    {
        using var train = IndexedData();
        using var test = IndexedData();
        int[] seeds = [3, 1, 2];
        var bench = DrawingBench(train, test, 3) with { Methods = [EmbeddingMethod.Views("simclr", () => new NTXentLoss(0.1), (l, a, b, _) => l.Views(a, b), 1e-2)] };
        var runs = bench.Run(seeds);
        foreach (int seed in seeds)
        {
            // The reference: the seed fixed, the encoder built, and training and L_align drawing straight from the global generator.
            Seeds.Fix(seed);
            using var encoder = nn.Linear(4, 3);
            using var loss = new NTXentLoss(0.1);
            using var optimizer = Optimizers.Adam(encoder.parameters(), 1e-2);
            var trainer = new Trainer(encoder, optimizer, b =>
            {
                var first = encoder.call(Jitter(b.Inputs));
                var second = encoder.call(Jitter(b.Inputs));
                return loss.Views(first, second);
            }) { Seed = seed, DropLast = true };
            trainer.Fit(train, 2, 8);
            encoder.eval();
            Assert.Equal(trainer.History.Losses, runs["simclr", seed].Losses);
            using (no_grad())
            {
                Seeds.Fix(seed + bench.ViewSeedOffset);
                var a = encoder.call(Jitter(test.Features));
                var b = encoder.call(Jitter(test.Features));
                Assert.Equal(Alignment.Loss(a, b), runs["simclr", seed].Alignment);
            }
            Assert.Equal(encoder.parameters().SelectMany(p => p.detach().to_type(ScalarType.Float64).data<double>().ToArray()), runs["simclr", seed].Vector("weights"));
        }
    }

    [Fact]
    public void An_encoder_with_dropout_trains_beside_other_seeds_as_a_run_alone()
    {
        using var train = IndexedData();
        using var test = IndexedData();
        int[] seeds = [3, 1, 2];
        nn.Module<Tensor, Tensor> Encoder() => nn.Sequential(("in", nn.Linear(4, 8)), ("drop", nn.Dropout(0.5)), ("out", nn.Linear(8, 3)));
        var bench = DrawingBench(train, test, 3) with
        {
            Methods = [EmbeddingMethod.Loss("contrastive", () => new ContrastiveLoss(0, 1), 1e-2),
                EmbeddingMethod.Views("simclr", () => new NTXentLoss(0.1), (l, a, b, _) => l.Views(a, b), 1e-2)],
            Encoder = _ => Encoder(),
        };
        var runs = bench.Run(seeds);
        foreach (int seed in seeds)
            foreach (var method in new[] { "contrastive", "simclr" })
            {
                // The reference: the seed fixed, the encoder built, and dropout (and the views) drawing straight from the global generator.
                Seeds.Fix(seed);
                using var encoder = Encoder();
                using var pairs = new ContrastiveLoss(0, 1);
                using var views = new NTXentLoss(0.1);
                using var optimizer = Optimizers.Adam(encoder.parameters(), 1e-2);
                var trainer = new Trainer(encoder, optimizer, b => method == "simclr"
                    ? views.Views(encoder.call(Jitter(b.Inputs)), encoder.call(Jitter(b.Inputs)))
                    : pairs.call(encoder.call(b.Inputs), b.Targets)) { Seed = seed, DropLast = true };
                trainer.Fit(train, 2, 8);
                Assert.Equal(trainer.History.Losses, runs[method, seed].Losses);
                Assert.Equal(encoder.parameters().SelectMany(p => p.detach().to_type(ScalarType.Float64).data<double>().ToArray()), runs[method, seed].Vector("weights"));
            }
        Assert.NotEqual(runs["contrastive", 1].Losses, runs["contrastive", 2].Losses);
    }
}
