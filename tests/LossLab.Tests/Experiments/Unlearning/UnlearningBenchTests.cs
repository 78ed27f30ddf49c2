using LossLab.Data;
using LossLab.Experiments;
using LossLab.Experiments.Unlearning;
using LossLab.Training;
using LossLab.Models;
using LossLab.Unlearning;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Experiments.Unlearning;

public class UnlearningBenchTests
{
    /// <summary>Three Gaussian blobs in 4-D, 20 samples per class; every feature row is distinct.</summary>
    static LabeledTensors Blobs(int perClass = 20)
    {
        var rng = new Random(11);
        var x = new List<float>();
        var y = new List<long>();
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < perClass; i++)
            {
                for (int d = 0; d < 4; d++) x.Add((float)((d == c ? 2.0 : 0.0) + rng.NextDouble() - 0.5));
                y.Add(c);
            }
        return new LabeledTensors(tensor(x.ToArray(), [3 * perClass, 4]), tensor(y.ToArray()));
    }

    static readonly int[] Widths = [4, 8, 3];

    static UnlearningBench Bench(LabeledTensors data, int[] seeds, UnlearningAudit? audit = null) => new(data, Widths, seeds, CPU)
    {
        Epochs = 2, BatchSize = 8, Options = new UnlearningOptions { Steps = 4, ForgetBatchSize = 4, RetainBatchSize = 8 },
        Audit = audit ?? UnlearningAudit.Accuracy, KeepStates = true, CheckpointEvery = 2,
    };

    static double[] Flat(IReadOnlyDictionary<string, Tensor> state) =>
        state.OrderBy(kv => kv.Key).SelectMany(kv => kv.Value.detach().cpu().to_type(ScalarType.Float64).flatten().data<double>().ToArray()).ToArray();

    /// <summary>The bench's recipe written out independently: seed, fresh MLP, Adam at 1e-3, shuffled by the seed.</summary>
    static double[] TrainedReference(LabeledTensors trainOn, int seed, int epochs = 2, int batchSize = 8)
    {
        Seeds.Fix(seed);
        using var model = new Mlp(Widths);
        using (var optimizer = LossLab.Optim.Optimizers.Adam(model.parameters(), 1e-3))
            new Trainer(model, optimizer, Objectives.CrossEntropy(model)) { Seed = seed }.Fit(trainOn, epochs, batchSize);
        return Flat(ModelState.Snapshot(model));
    }

    [Fact]
    public void Original_is_trained_once_per_seed_Retrain_once_per_seed_and_scenario_and_every_arm_starts_from_the_original_weights()
    {
        using var data = Blobs();
        var bench = Bench(data, [1, 2]);
        var starts = new List<(string Arm, int Seed, double[] State)>();
        UnlearningArm Recorded(string name, Func<UnlearningContext, IUnlearningObjective> objective) => UnlearningArm.Custom(name, c =>
        {
            var state = Flat(ModelState.Snapshot(c.Model));
            lock (starts) starts.Add((name, c.Seed, state));   // seeds train at once
            return Unlearner.Run(c.Model, objective(c), c.Forget, c.Retain, c.Options);
        });
        UnlearningArm[] arms = [Recorded("FT", _ => UnlearningObjectives.FineTune()), Recorded("GA", _ => UnlearningObjectives.GradientAscent()),
            Recorded("RL", c => UnlearningObjectives.RandomLabels(c.NumClasses, c.Seed))];
        var random = bench.Run(ForgetScenario.Random(0.25), arms);
        var classwise = bench.Run(ForgetScenario.Class(1), arms);

        Assert.Equal([UnlearningBench.Original, UnlearningBench.Retrain, "FT", "GA", "RL"], random.Methods);
        var originals = bench.Trainings.Where(t => t.Model == UnlearningBench.Original).ToArray();
        Assert.Equal([1, 2], originals.Select(t => t.Seed));
        var retrains = bench.Trainings.Where(t => t.Model == UnlearningBench.Retrain).Select(t => (t.Seed, t.Scenario)).ToArray();
        Assert.Equal(4, retrains.Length);
        Assert.Equal(4, retrains.Distinct().Count());

        foreach (int seed in new[] { 1, 2 })
        {
            // the original is the recipe applied to the seed's training split, and both scenarios share it
            var (trainIdx, _) = StratifiedSplit.Indices(data.Labels.data<long>().ToArray(), 0.2, Seeds.Random(seed, 1));
            using var train = data.Subset(trainIdx);
            var original = Flat(random[UnlearningBench.Original, seed].State!);
            Assert.Equal(TrainedReference(train, seed), original);
            Assert.Equal(original, Flat(classwise[UnlearningBench.Original, seed].State!));
            // every arm of both scenarios starts from exactly those weights, and ends elsewhere
            var ofSeed = starts.Where(s => s.Seed == seed).ToArray();
            Assert.Equal(6, ofSeed.Length);
            foreach (var s in ofSeed) Assert.Equal(original, s.State);
            foreach (var arm in arms) Assert.NotEqual(original, Flat(random[arm.Name, seed].State!));
        }
        Assert.NotEqual(Flat(random[UnlearningBench.Original, 1].State!), Flat(random[UnlearningBench.Original, 2].State!));
    }

    [Fact]
    public void Seeds_trained_at_once_give_the_records_of_one_after_another()
    {
        using var data = Blobs();
        UnlearningArm[] arms = [UnlearningArm.Method("GA", _ => UnlearningObjectives.GradientAscent()),
            UnlearningArm.Method("RL", c => UnlearningObjectives.RandomLabels(c.NumClasses, c.Seed)),
            UnlearningArm.Edit("halfway", c => { var s = TaskVectors.Interpolate(c.OriginalState, c.StateOf("GA"), 0.5); c.Load(s); ModelState.Dispose(s); })];
        int[] seeds = [3, 1, 2, 5];
        (UnlearningBench Bench, MethodComparison<UnlearningRecord> Random, MethodComparison<UnlearningRecord> Class) Made(int workers)
        {
            var bench = new UnlearningBench(data, Widths, seeds, CPU)
            {
                Epochs = 2, BatchSize = 8, Options = new UnlearningOptions { Steps = 4, ForgetBatchSize = 4, RetainBatchSize = 8 },
                Audit = UnlearningAudit.SalUn, KeepStates = true, CheckpointEvery = 2, Workers = workers,
            };
            return (bench, bench.Run(ForgetScenario.Random(0.25), arms), bench.Run(ForgetScenario.Class(2), arms));
        }
        var one = Made(1);
        var three = Made(3);
        foreach (var (a, b) in new[] { (one.Random, three.Random), (one.Class, three.Class) })
            foreach (var m in a.Methods)
                foreach (int s in seeds)
                {
                    Assert.Equal(Flat(a[m, s].State!), Flat(b[m, s].State!));
                    Assert.Equal(a[m, s].Metrics, b[m, s].Metrics);
                    Assert.Equal(a[m, s].Gap, b[m, s].Gap);
                    Assert.Equal(a[m, s].Losses, b[m, s].Losses);
                }
        Assert.NotEqual(Flat(one.Random["GA", 1].State!), Flat(one.Random["GA", 2].State!));
        // the reference trainings are listed in the order of a sequential run
        var expected = seeds.SelectMany(s => new[] { (UnlearningBench.Original, s), (UnlearningBench.Retrain, s) })
            .Concat(seeds.Select(s => (UnlearningBench.Retrain, s))).ToArray();
        foreach (var bench in new[] { one.Bench, three.Bench })
            Assert.Equal(expected, bench.Trainings.Select(t => (t.Model, t.Seed)));
    }

    [Fact]
    public void Retrain_never_sees_a_forget_sample()
    {
        using var clean = Blobs();
        const int seed = 3;
        var (trainIdx, _) = StratifiedSplit.Indices(clean.Labels.data<long>().ToArray(), 0.2, Seeds.Random(seed, 1));
        long[] forget = [trainIdx[0], trainIdx[7], trainIdx[20], trainIdx[33], trainIdx[47]];
        // poison the forget samples: a model that trained on any of them would have non-finite weights
        var x = clean.Features.clone();
        foreach (var i in forget) x[i] = full(4, float.NaN);
        using var data = new LabeledTensors(x, clean.Labels.clone());
        var bench = Bench(data, [seed]);
        var runs = bench.Run(ForgetScenario.Samples(forget), []);

        var retrain = Flat(runs[UnlearningBench.Retrain, seed].State!);
        Assert.All(retrain, w => Assert.True(double.IsFinite(w)));
        // … and equals the recipe applied to D_r = train minus the forget samples, in training order
        var retainIdx = trainIdx.Where(i => !forget.Contains(i)).ToArray();
        using var retainSet = clean.Subset(retainIdx);
        Assert.Equal(TrainedReference(retainSet, seed), retrain);
        using var split = bench.Split(ForgetScenario.Samples(forget), seed);
        Assert.Equal(retainIdx, split.RetainIndices);
        Assert.Equal(forget.Order(), split.ForgetIndices);
        Assert.Equal(retainIdx.Length, (int)bench.Trainings.Single(t => t.Model == UnlearningBench.Retrain).Samples);
    }

    // --- a tiny case scored by hand -----------------------------------------------------------------------------

    /// <summary>Two features on a grid of dyadic values (exact in float32), labelled by hand, three classes.</summary>
    static LabeledTensors Grid()
    {
        var x = new List<float>();
        var y = new List<long>();
        long[] labels = [0, 1, 2, 2, 0, 1, 1, 0, 2, 0, 2, 1, 0, 0, 1, 2, 1, 2, 0, 1];
        for (int i = 0; i < labels.Length; i++)
        {
            x.Add((i % 5 - 2) * 0.5f);
            x.Add((i / 5 - 1.5f) * 0.75f);
            y.Add(labels[i]);
        }
        return new LabeledTensors(tensor(x.ToArray(), [labels.Length, 2]), tensor(y.ToArray()));
    }

    static readonly double[,] W = { { 0.5, -1.0 }, { 0.25, 0.75 }, { -0.75, 0.5 } };
    static readonly double[] B = { 0.125, -0.25, 0.0625 };

    sealed record Reference(double Fa, double Ra, double Ta, double Mia, double Auc)
    {
        public double Gap(Reference r) => (Math.Abs(Fa - r.Fa) + Math.Abs(Mia - r.Mia) + Math.Abs(Ra - r.Ra) + Math.Abs(Ta - r.Ta)) / 4;
    }

    /// <summary>SalUn's audit in float64 loops: logits z = W x + b, accuracies, true-class confidences, the SVC MIA on them and
    /// the loss AUC by counting pairs.</summary>
    static Reference Explicit(double[,] w, double[] b, LabeledTensors forget, LabeledTensors retain, LabeledTensors test)
    {
        double[][] Rows(LabeledTensors d) { var f = d.Features.data<float>().ToArray(); return Enumerable.Range(0, (int)d.Count).Select(i => new double[] { f[2 * i], f[2 * i + 1] }).ToArray(); }
        double[] Z(double[] x) => Enumerable.Range(0, 3).Select(c => b[c] + w[c, 0] * x[0] + w[c, 1] * x[1]).ToArray();
        double Confidence(double[] x, long y) { var z = Z(x); double m = z.Max(), s = z.Sum(v => Math.Exp(v - m)); return Math.Exp(z[y] - m) / s; }
        double Acc(LabeledTensors d)
        {
            var rows = Rows(d); var y = d.Labels.data<long>().ToArray();
            return 100.0 * rows.Select((x, i) => Array.IndexOf(Z(x), Z(x).Max()) == y[i] ? 1 : 0).Sum() / rows.Length;
        }
        double[] Conf(LabeledTensors d) { var y = d.Labels.data<long>().ToArray(); return Rows(d).Select((x, i) => Confidence(x, y[i])).ToArray(); }
        // shadow members: min(|D_r|, |D_test|) = all of D_r here
        Assert.True(retain.Count <= test.Count);
        double mia = MembershipInference.EfficacyFromConfidences(Conf(retain), Conf(test), Conf(forget));
        var lf = Conf(forget).Select(p => -Math.Log(p)).ToArray(); var lt = Conf(test).Select(p => -Math.Log(p)).ToArray();
        double pairs = lf.Sum(a => lt.Sum(c => a < c ? 1.0 : a == c ? 0.5 : 0.0));
        return new Reference(Acc(forget), Acc(retain), Acc(test), mia, pairs / (lf.Length * lt.Length));
    }

    [Fact]
    public void Scores_equal_an_explicit_float64_computation_on_a_tiny_hand_made_case()
    {
        using var data = Grid();
        const int seed = 5;
        var bench = new UnlearningBench(data, [2, 3], [seed], CPU) { Epochs = 0, TestFraction = 0.5, KeepStates = true, Audit = UnlearningAudit.SalUn };
        var set = UnlearningArm.Edit("hand-set", c => c.Load(new Dictionary<string, Tensor>
        {
            ["head.weight"] = tensor(W, dtype: ScalarType.Float32), ["head.bias"] = tensor(B, dtype: ScalarType.Float32),
        }));
        foreach (var scenario in new[] { ForgetScenario.Random(0.3), ForgetScenario.Class(2) })
        {
            var runs = bench.Run(scenario, [set]);
            using var split = bench.Split(scenario, seed);
            if (scenario.ForgetClass is int c) Assert.DoesNotContain(c, split.Test.Labels.data<long>().ToArray());
            // with 0 epochs the original and Retrain are the seed's initialisation, read back from a fresh model
            Seeds.Fix(seed);
            using var init = new Mlp([2, 3]);
            var wi = init.Head.weight!.to_type(ScalarType.Float64).data<double>().ToArray();
            var bi = init.Head.bias!.to_type(ScalarType.Float64).data<double>().ToArray();
            var initial = Explicit(new double[,] { { wi[0], wi[1] }, { wi[2], wi[3] }, { wi[4], wi[5] } }, bi, split.Forget, split.Retain, split.Test);
            var hand = Explicit(W, B, split.Forget, split.Retain, split.Test);
            foreach (var (method, reference) in new[] { (UnlearningBench.Retrain, initial), (UnlearningBench.Original, initial), ("hand-set", hand) })
            {
                var m = runs[method, seed].Metrics;
                Assert.Equal(reference.Fa, m.ForgetAccuracy, 1e-12);
                Assert.Equal(reference.Ra, m.RetainAccuracy, 1e-12);
                Assert.Equal(reference.Ta, m.TestAccuracy, 1e-12);
                Assert.Equal(reference.Mia, m.MiaEfficacy, 1e-12);
                Assert.Equal(reference.Auc, m.LossMiaAuc, 1e-6);
                Assert.Equal(reference.Gap(initial), runs[method, seed].Gap, 1e-9);
            }
            Assert.True(hand.Gap(initial) > 0);
            var r = runs["hand-set", seed];
            Assert.Equal(r.Seconds / runs[UnlearningBench.Retrain, seed].Seconds, r.RelativeTime, 1e-12);
            Assert.Equal(0, r.Steps);
        }
    }

    [Fact]
    public void A_diverged_run_is_scored_at_its_last_finite_checkpoint()
    {
        using var data = Blobs();
        var bench = Bench(data, [1]);
        var ft = UnlearningArm.Method("FT", _ => UnlearningObjectives.FineTune());
        var diverging = UnlearningArm.Custom("FT then NaN", c =>
        {
            var run = Unlearner.Run(c.Model, UnlearningObjectives.FineTune(), c.Forget, c.Retain, c.Options, onStep: c.OnStep());
            using (no_grad()) foreach (var p in c.Model.parameters()) p.fill_(float.NaN);
            return run with { NonFiniteStep = run.Losses.Count };
        });
        var runs = bench.Run(ForgetScenario.Random(0.25), [ft, diverging]);
        var d = runs["FT then NaN", 1];
        Assert.True(d.Diverged);
        Assert.Equal(4, d.MeasuredAt);   // checkpoints every 2 steps: the last, at step 4, was finite
        Assert.Equal(Flat(runs["FT", 1].State!), Flat(d.State!));
        Assert.Equal(runs["FT", 1].Metrics, d.Metrics);
    }

    [Fact]
    public void Chunked_arm_runs_fresh_chunks_with_their_own_batch_order_until_its_condition_holds()
    {
        using var data = Blobs();
        var bench = Bench(data, [2]);
        int checks = 0;
        var arm = UnlearningArm.Chunked("GA chunks", _ => UnlearningObjectives.GradientAscent(), chunk: 3, maxSteps: 9,
            stop: _ => ++checks > 2, options: o => o with { LearningRate = 1e-3 });
        var runs = bench.Run(ForgetScenario.Class(0), [arm]);
        Assert.Equal(6, runs["GA chunks", 2].Steps);   // checked before each chunk: two chunks, then the condition holds

        // the same two chunks by hand: seed·1000 + steps done
        using var split = bench.Split(ForgetScenario.Class(0), 2);
        Seeds.Fix(2);
        using var model = new Mlp(Widths);
        ModelState.Load(model, runs[UnlearningBench.Original, 2].State!);
        foreach (int done in new[] { 0, 3 })
            Unlearner.Run(model, UnlearningObjectives.GradientAscent(), split.Forget, split.Retain,
                bench.Options with { Steps = 3, LearningRate = 1e-3, Seed = 2 * 1000 + done });
        Assert.Equal(Flat(ModelState.Snapshot(model)), Flat(runs["GA chunks", 2].State!));
    }

    [Fact]
    public void Arms_read_the_final_states_of_earlier_arms()
    {
        using var data = Blobs();
        var bench = Bench(data, [1]);
        var half = UnlearningArm.Edit("halfway", c => { var s = TaskVectors.Interpolate(c.OriginalState, c.StateOf("FT"), 0.5); c.Load(s); ModelState.Dispose(s); });
        var runs = bench.Run(ForgetScenario.Random(0.25), [UnlearningArm.Method("FT", _ => UnlearningObjectives.FineTune()), half]);
        var o = Flat(runs[UnlearningBench.Original, 1].State!); var f = Flat(runs["FT", 1].State!); var h = Flat(runs["halfway", 1].State!);
        for (int i = 0; i < h.Length; i++) Assert.Equal(0.5 * (o[i] + f[i]), h[i], 1e-6);
    }

    [Fact]
    public void Probe_CKA_and_relearn_time_equal_the_library_measurements_on_the_documented_sets()
    {
        using var data = Blobs();
        const int seed = 4;
        var relearn = new RelearnAudit(Samples: 3, LearningRate: 0.1, MaxSteps: 30, Threshold: 90);
        var bench = Bench(data, [seed], UnlearningAudit.Accuracy with { Features = true, Relearn = relearn });
        var ft = UnlearningArm.Method("FT", _ => UnlearningObjectives.FineTune());
        var runs = bench.Run(ForgetScenario.Class(1), [ft]);
        using var split = bench.Split(ForgetScenario.Class(1), seed);
        var (probeTrain, probeTest) = StratifiedSplit.Split(split.HeldOut, 0.5, Seeds.Random(seed, 3));
        // the relearn set: the first 3 forget samples, then 3 retain samples of each other class; evaluated on held-out class 1
        using var head = split.Forget.Subset([0L, 1, 2]);
        using var others = LongTail.Subsample(split.Retain, [3, 0, 3], Seeds.Random(seed, 6));
        using var relearnSet = new LabeledTensors(cat(new[] { head.Features, others.Features }), cat(new[] { head.Labels, others.Labels }));
        var heldLabels = split.HeldOut.Labels.data<long>().ToArray();
        using var heldOutClass = split.HeldOut.Subset(Enumerable.Range(0, heldLabels.Length).Where(i => heldLabels[i] == 1).Select(i => (long)i).ToArray());
        Seeds.Fix(seed);
        using var original = new Mlp(Widths);
        ModelState.Load(original, runs[UnlearningBench.Original, seed].State!);
        foreach (var method in new[] { UnlearningBench.Original, UnlearningBench.Retrain, "FT" })
        {
            var r = runs[method, seed];
            Seeds.Fix(seed);
            using var model = new Mlp(Widths);
            ModelState.Load(model, r.State!);
            var probe = LinearProbe.OnFeatures(x => model.Features(x), model, probeTrain, probeTest, 3);
            Assert.Equal(probe.Accuracy, r.Probe!.Accuracy);
            Assert.Equal(probe.ClassAccuracy, r.Probe.ClassAccuracy);
            Assert.Equal(LinearCka.BetweenModels(x => original.Features(x), original, x => model.Features(x), model, probeTest), r.Cka, 1e-12);
            Assert.Equal(RelearnTime.Measure(model, relearnSet, heldOutClass, 90, 0.1, 30), r.RelearnSteps);
            Assert.True(double.IsNaN(r.Metrics.MiaEfficacy) && double.IsNaN(r.Gap));   // membership inference left out
        }
        Assert.Equal(1.0, runs[UnlearningBench.Original, seed].Cka, 1e-9);
    }

    [Fact]
    public void Models_and_data_live_on_the_bench_device_and_a_shuffled_retain_set_follows_its_stream()
    {
        using var data = Blobs();
        var bench = new UnlearningBench(data, Widths, [6], CPU) { Epochs = 1, ShuffleRetain = true, Audit = UnlearningAudit.Accuracy };
        var placed = new List<bool>();
        var check = UnlearningArm.Edit("check", c => placed.Add(c.Model.parameters().All(p => p.device.type == DeviceType.CPU)
            && new[] { c.Forget, c.Retain, c.Split.Test, c.Split.Train }.All(d => d.Features.device.type == DeviceType.CPU)));
        bench.Run(ForgetScenario.Random(0.25), [check]);
        Assert.Equal([true], placed);
        using var split = bench.Split(ForgetScenario.Random(0.25), 6);
        var (trainIdx, _) = StratifiedSplit.Indices(data.Labels.data<long>().ToArray(), 0.2, Seeds.Random(6, 1));
        var (forgetPos, retainPos) = ForgetSplit.RandomIndices(trainIdx.Length, 0.25, Seeds.Random(6, 2));
        var rng = Seeds.Random(6, 5);   // Fisher–Yates of D_r's positions
        for (int i = retainPos.Length - 1; i > 0; i--) { int j = rng.Next(i + 1); (retainPos[i], retainPos[j]) = (retainPos[j], retainPos[i]); }
        Assert.Equal(retainPos.Select(p => trainIdx[p]), split.RetainIndices);
        Assert.Equal(forgetPos.Select(p => trainIdx[p]), split.ForgetIndices);
    }

    // --- bad declarations ---------------------------------------------------------------------------------------

    [Fact]
    public void An_empty_forget_set_is_a_clear_error()
    {
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => ForgetScenario.Samples([])).Message);
        using var data = Blobs(perClass: 4);   // 12 samples: 9 or 10 in training
        var bench = Bench(data, [1]);
        var e = Assert.Throws<ArgumentException>(() => bench.Run(ForgetScenario.Random(0.01), []));
        Assert.Contains("forget set of random 1% is empty for seed 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => bench.Run(ForgetScenario.Class(7), []));
        Assert.Contains("no training sample has label 7", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ForgetScenario.Random(0));
    }

    [Fact]
    public void A_forget_set_outside_the_training_set_is_a_clear_error()
    {
        using var data = Blobs();
        var (_, heldOut) = StratifiedSplit.Indices(data.Labels.data<long>().ToArray(), 0.2, Seeds.Random(1, 1));
        var bench = Bench(data, [1]);
        var e = Assert.Throws<ArgumentException>(() => bench.Run(ForgetScenario.Samples([heldOut[0], heldOut[3]]), []));
        Assert.Contains("must be a subset of the training set", e.Message);
        Assert.Contains($"{heldOut[0]}, {heldOut[3]}", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => bench.Run(ForgetScenario.Samples([60]), []));
        Assert.Contains("repeated", Assert.Throws<ArgumentException>(() => ForgetScenario.Samples([1, 1])).Message);
    }

    [Fact]
    public void Unknown_reserved_or_repeated_methods_are_clear_errors()
    {
        using var data = Blobs();
        var bench = Bench(data, [1]);
        var ft = UnlearningArm.Method("FT", _ => UnlearningObjectives.FineTune());
        var unknown = UnlearningArm.Edit("merge", c => c.Load(c.StateOf("TIES")));
        var e = Assert.Throws<ArgumentException>(() => bench.Run(ForgetScenario.Random(0.25), [ft, unknown]));
        Assert.Contains("Unknown method 'TIES'", e.Message);
        Assert.Contains("[FT]", e.Message);
        var early = UnlearningArm.Edit("early", c => c.Load(c.StateOf("FT")));
        Assert.Contains("runs after it", Assert.Throws<ArgumentException>(() => bench.Run(ForgetScenario.Random(0.25), [early, ft])).Message);
        Assert.Contains("reference model", Assert.Throws<ArgumentException>(() => bench.Run(ForgetScenario.Random(0.25), [UnlearningArm.Edit("Retrain", _ => { })])).Message);
        Assert.Contains("repeated: FT", Assert.Throws<ArgumentException>(() => bench.Run(ForgetScenario.Random(0.25), [ft, ft])).Message);
        var runs = bench.Run(ForgetScenario.Random(0.25), [ft]);
        Assert.Contains("No run of 'SalUn'", Assert.Throws<KeyNotFoundException>(() => runs["SalUn", 1]).Message);
        var relearn = new UnlearningBench(data, Widths, [1], CPU) { Audit = UnlearningAudit.Accuracy with { Relearn = new RelearnAudit() } };
        Assert.Contains("class-wise", Assert.Throws<ArgumentException>(() => relearn.Run(ForgetScenario.Random(0.25), [ft])).Message);
        Assert.Throws<ArgumentException>(() => new UnlearningBench(data, [5, 3], [1], CPU));
    }
}
