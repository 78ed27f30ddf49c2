using System.Diagnostics;
using LossLab.Data;
using LossLab.Training;
using LossLab.Models;
using LossLab.Unlearning;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Experiments.Unlearning;

/// <summary>
/// The unlearning bench of SalUn's protocol (Fan et al. 2024, arXiv:2310.12508) on top of
/// <see cref="MethodComparison{TRun}"/>. Per seed it splits the data (stratified train/held-out split from
/// <see cref="Training.Seeds.Random"/>(seed, 1)), trains the original model on D = D_f ∪ D_r once (shared by every
/// scenario), and per scenario draws D_f, trains Retrain — the oracle — on D_r alone from the same initialisation with the
/// same recipe, then runs every declared <see cref="UnlearningArm"/> from a fresh copy of the original weights, and scores
/// every model the same way (<see cref="UnlearningAudit"/>): forget/retain/test accuracy, MIA-efficacy, the average gap to
/// Retrain, probe, CKA, relearn time. The comparison's methods are <see cref="Original"/>, <see cref="Retrain"/> and the
/// arms, in that order, so paired statistics and summaries span the references too.
/// </summary>
/// <remarks>Models are <see cref="Mlp"/>s of the given widths, initialised after <see cref="Training.Seeds.Fix"/>(seed)
/// and trained with Adam (<see cref="LearningRate"/>) for <see cref="Epochs"/> epochs of <see cref="BatchSize"/> samples
/// shuffled by <see cref="Trainer.Seed"/> = seed. Every arm gets the bench's <see cref="Options"/> with the seed as its batch
/// order. A run that diverges is scored at its last finite checkpoint (saved every <see cref="CheckpointEvery"/> steps).</remarks>
public sealed class UnlearningBench : IDisposable
{
    /// <summary>The original model's method name.</summary>
    public const string Original = "Original";

    /// <summary>Retrain's method name.</summary>
    public const string Retrain = "Retrain";

    /// <summary>The stream of <see cref="Training.Seeds.Random"/> that splits train and held-out data.</summary>
    public const long SplitStream = 1;

    /// <summary>The stream of <see cref="Training.Seeds.Random"/> that shuffles D_r (with <see cref="ShuffleRetain"/>).</summary>
    public const long RetainShuffleStream = 5;

    readonly LabeledTensors data;
    readonly int[] widths;
    readonly Dictionary<int, (Dictionary<string, Tensor> State, double Seconds)> originals = [];
    // Reference trainings with their place in a sequential run (Run call, seed, original before Retrain), as seeds finish
    // in any order when they train at once.
    readonly List<(int Call, int Seed, int Kind, ReferenceTraining Training)> trainings = [];
    int runs;

    /// <summary>A bench on <paramref name="data"/> (features, int64 labels; not owned) with MLPs of <paramref name="widths"/>,
    /// over <paramref name="seeds"/>, on <paramref name="device"/> (null: <see cref="Devices.Choose"/>).</summary>
    /// <exception cref="ArgumentException">No seed, a repeated seed, widths that do not fit the data, or empty data.</exception>
    public UnlearningBench(LabeledTensors data, IReadOnlyList<int> widths, IReadOnlyList<int> seeds, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentNullException.ThrowIfNull(seeds);
        if (data.Count < 2) throw new ArgumentException($"data must hold at least two samples; it holds {data.Count}.", nameof(data));
        Guard.Labels(data.Labels, nameof(data));
        if (widths.Count < 2) throw new ArgumentException($"widths must hold the input and output sizes; got [{string.Join(", ", widths)}].", nameof(widths));
        long features = data.Features[0].numel();
        if (widths[0] != features) throw new ArgumentException($"widths[0] = {widths[0]} must equal the {features} features per sample of data.", nameof(widths));
        if (data.NumClasses > widths[^1]) throw new ArgumentException($"the last width ({widths[^1]}) must cover the {data.NumClasses} classes of data.", nameof(widths));
        if (seeds.Count == 0) throw new ArgumentException("seeds must not be empty.", nameof(seeds));
        if (seeds.Distinct().Count() != seeds.Count) throw new ArgumentException($"seeds must be distinct; got [{string.Join(", ", seeds)}].", nameof(seeds));
        this.data = data;
        this.widths = widths.ToArray();
        Seeds = seeds.ToArray();
        Device = device ?? Devices.Choose();
    }

    /// <summary>The seeds.</summary>
    public IReadOnlyList<int> Seeds { get; }

    /// <summary>Where models, data and evaluations run.</summary>
    public Device Device { get; }

    /// <summary>The share of each class held out (stratified).</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Epochs of the original model and of Retrain.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Mini-batch size of the original model and of Retrain.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Adam's learning rate for the original model and Retrain.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Shuffle D_r once per seed (<see cref="RetainShuffleStream"/>), for data files sorted by class.</summary>
    public bool ShuffleRetain { get; init; }

    /// <summary>The unlearning budget and optimizer every arm starts from (its seed is set per seed).</summary>
    public UnlearningOptions Options { get; init; } = new();

    /// <summary>What is measured on every model.</summary>
    public UnlearningAudit Audit { get; init; } = UnlearningAudit.SalUn;

    /// <summary>Steps between checkpoints of an arm's run (0: none; a diverged run is then scored at the original weights).</summary>
    public int CheckpointEvery { get; init; } = 10;

    /// <summary>Record FA and RA at every checkpoint (<see cref="UnlearningRecord.Trajectory"/>).</summary>
    public bool RecordTrajectories { get; init; }

    /// <summary>Keep every scored model's state in its record (<see cref="UnlearningRecord.State"/>, owned by the caller).</summary>
    public bool KeepStates { get; init; }

    /// <summary>Every training of a reference model so far, in order.</summary>
    public IReadOnlyList<ReferenceTraining> Trainings
    {
        get
        {
            lock (trainings)
                return [.. trainings.OrderBy(t => t.Call).ThenBy(t => ((IList<int>)Seeds).IndexOf(t.Seed)).ThenBy(t => t.Kind).Select(t => t.Training)];
        }
    }

    /// <summary>How many seeds train at once (null: <see cref="Threads.Workers"/>: the cores when a notebook runs alone, its
    /// share under <c>losslab run --jobs</c>). The numbers do not depend on it: models are initialised through
    /// <see cref="Training.Seeds.Isolated{T}"/>, and training, forgetting and scoring take their randomness from generators
    /// of their own seed.</summary>
    public int? Workers { get; init; }

    /// <summary>Runs <paramref name="arms"/> in <paramref name="scenario"/> over the seeds (seeds outer); see the class
    /// summary. <paramref name="onRun"/> hears of each finished run (<see cref="MethodComparison{TRun}.Run"/>).</summary>
    /// <exception cref="ArgumentException">A blank, repeated or reserved arm name; a relearn audit outside class-wise
    /// forgetting; an empty forget set or one that is not part of the training set (when its seed is reached).</exception>
    public MethodComparison<UnlearningRecord> Run(ForgetScenario scenario, IReadOnlyList<UnlearningArm> arms,
        Action<(int Done, int Total, string Method, int Seed, double Seconds)>? onRun = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(arms);
        if (arms.Any(a => a is null)) throw new ArgumentException("arms must not contain null.", nameof(arms));
        var reserved = arms.Where(a => a.Name is Original or Retrain).Select(a => a.Name).ToArray();
        if (reserved.Length > 0)
            throw new ArgumentException($"'{reserved[0]}' is the bench's reference model; name the arm otherwise.", nameof(arms));
        if (Audit.Relearn is { } relearn)
        {
            relearn.Validate();
            if (scenario.ForgetClass is null)
                throw new ArgumentException($"The relearn audit needs class-wise forgetting (held-out samples of the forgotten class); {scenario.Name} has none.", nameof(scenario));
        }
        Options.Validate();
        if (!(TestFraction > 0 && TestFraction < 1)) throw new ArgumentOutOfRangeException(nameof(TestFraction), TestFraction, "TestFraction must lie in (0, 1).");
        if (Epochs < 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be ≥ 0.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be ≥ 1.");
        if (CheckpointEvery < 0) throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), CheckpointEvery, "CheckpointEvery must be ≥ 0.");
        Guard.Positive(LearningRate, nameof(LearningRate));

        var names = arms.Select(a => a.Name).ToArray();
        var comparison = new MethodComparison<UnlearningRecord>([Original, Retrain, .. names], Seeds);
        var byName = arms.ToDictionary(a => a.Name);
        int call = Interlocked.Increment(ref runs);
        // What each seed holds while its methods run; a seed's methods run in order on one thread (MethodComparison.Run).
        var current = new System.Collections.Concurrent.ConcurrentDictionary<int, SeedRun>();
        string last = names.Length > 0 ? names[^1] : Retrain;
        try
        {
            // Every draw from torch's global generator (the models' initialisation) goes through Seeds.Isolated, so the
            // start has nothing to draw and seeds can train at once with the numbers of a sequential run.
            comparison.Run((method, seed) => 0, (method, seed, _) =>
            {
                var run = method == Original ? current[seed] = Prepare(scenario, seed, call) : current[seed];
                var record = method switch
                {
                    Original => run.OriginalRecord!,
                    Retrain => run.RetrainRecord!,
                    _ => RunArm(run, byName[method], names),
                };
                if (method == last && current.TryRemove(seed, out var done)) done.Dispose();
                return record;
            }, onRun, Workers);
        }
        finally
        {
            foreach (var run in current.Values) run.Dispose();
        }
        return comparison;
    }

    /// <summary>The data of <paramref name="seed"/> in <paramref name="scenario"/>, as the bench builds it (owned by the caller).</summary>
    public UnlearningSplit Split(ForgetScenario scenario, int seed)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var labels = data.Labels.cpu().to_type(ScalarType.Int64).data<long>().ToArray();
        var (trainIdx, heldIdx) = StratifiedSplit.Indices(labels, TestFraction, Training.Seeds.Random(seed, SplitStream));
        var train = data.Subset((IReadOnlyList<long>)trainIdx);
        try
        {
            var forgetPos = scenario.ForgetPositions(train, trainIdx, data.Count, seed);
            var inForget = forgetPos.ToHashSet();
            var retainPos = Enumerable.Range(0, (int)train.Count).Select(i => (long)i).Where(i => !inForget.Contains(i)).ToArray();
            if (ShuffleRetain) RandomSampling.Shuffle(Training.Seeds.Random(seed, RetainShuffleStream), retainPos);
            var heldOut = OnDevice(data.Subset((IReadOnlyList<long>)heldIdx));
            var test = heldOut;
            if (scenario.ForgetClass is int c)
            {
                var heldLabels = heldIdx.Select(i => labels[i]).ToArray();
                test = heldOut.Subset((IReadOnlyList<long>)Enumerable.Range(0, heldLabels.Length).Where(i => heldLabels[i] != c).Select(i => (long)i).ToArray());
            }
            var forget = OnDevice(train.Subset((IReadOnlyList<long>)forgetPos));
            var retain = OnDevice(train.Subset((IReadOnlyList<long>)retainPos));
            return new UnlearningSplit(seed, scenario, OnDevice(train), heldOut, test, forget, retain,
                forgetPos.Select(p => trainIdx[p]).ToArray(), retainPos.Select(p => trainIdx[p]).ToArray());
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    LabeledTensors OnDevice(LabeledTensors d)
    {
        if (Devices.Holds(Device, d.Features) && Devices.Holds(Device, d.Labels)) return d;
        var moved = d.To(Device);
        d.Dispose();
        return moved;
    }


    // The initialisation that follows Seeds.Fix(seed), drawn without touching the generator other runs see.
    Mlp NewModel(int seed)
    {
        var model = Training.Seeds.Isolated(seed, () => new Mlp(widths));
        model.to(Device);
        return model;
    }

    Mlp FromState(int seed, IReadOnlyDictionary<string, Tensor> state)
    {
        var model = NewModel(seed);
        ModelState.Load(model, state);
        model.eval();
        return model;
    }

    double Train(Mlp model, LabeledTensors trainOn, int seed)
    {
        var clock = Stopwatch.StartNew();
        using (var optimizer = Optim.Optimizers.Adam(model.parameters(), LearningRate))
            new Trainer(model, optimizer, Objectives.CrossEntropy(model)) { Seed = seed }.Fit(trainOn, Epochs, BatchSize);
        model.eval();
        return clock.Elapsed.TotalSeconds;
    }

    SeedRun Prepare(ForgetScenario scenario, int seed, int call)
    {
        var split = Split(scenario, seed);
        var run = new SeedRun(split);
        try
        {
            (Dictionary<string, Tensor> State, double Seconds) original;
            bool trained;
            lock (originals) trained = originals.TryGetValue(seed, out original);
            if (!trained)
            {
                var model = NewModel(seed);
                double seconds = Train(model, split.Train, seed);
                original = (ModelState.Snapshot(model), seconds);
                lock (originals) originals[seed] = original;
                lock (trainings) trainings.Add((call, seed, 0, new ReferenceTraining(Original, seed, null, split.Train.Count, seconds)));
                model.Dispose();
            }
            run.OriginalState = original.State;
            run.OriginalModel = FromState(seed, original.State);
            if (Audit.Features)
            {
                var (probeTrain, probeTest) = StratifiedSplit.Split(split.HeldOut, 0.5, Training.Seeds.Random(seed, UnlearningAudit.ProbeStream));
                (run.ProbeTrain, run.ProbeTest) = (probeTrain, probeTest);
            }
            if (Audit.Relearn is { } relearn) (run.RelearnSet, run.RelearnEvaluation) = RelearnSets(split, relearn, seed);

            var retrain = NewModel(seed);
            double retrainSeconds = Train(retrain, split.Retain, seed);
            lock (trainings) trainings.Add((call, seed, 1, new ReferenceTraining(Retrain, seed, scenario.Name, split.Retain.Count, retrainSeconds)));
            run.RetrainSeconds = retrainSeconds;
            var retrainMetrics = Metrics(retrain, split);
            run.RetrainMetrics = retrainMetrics;
            run.RetrainRecord = Score(run, retrain, Retrain, retrainSeconds, retrainMetrics) with { RelativeTime = 1 };
            retrain.Dispose();
            run.OriginalRecord = Score(run, run.OriginalModel, Original, original.Seconds) with { RelativeTime = 0 };
            return run;
        }
        catch
        {
            run.Dispose();
            throw;
        }
    }

    (LabeledTensors Set, LabeledTensors Evaluation) RelearnSets(UnlearningSplit split, RelearnAudit relearn, int seed)
    {
        int c = split.Scenario.ForgetClass!.Value;
        if (relearn.Samples > split.Forget.Count)
            throw new ArgumentException($"The relearn audit takes {relearn.Samples} forget samples; seed {seed}'s D_f holds {split.Forget.Count}.", nameof(relearn));
        using var forgetPart = split.Forget.Subset((IReadOnlyList<long>)Enumerable.Range(0, relearn.Samples).Select(i => (long)i).ToArray());
        var counts = Enumerable.Range(0, widths[^1]).Select(k => k == c ? 0 : relearn.Samples).ToArray();
        using var retainPart = LongTail.Subsample(split.Retain, counts, Training.Seeds.Random(seed, RelearnAudit.Stream));
        var set = new LabeledTensors(cat(new[] { forgetPart.Features, retainPart.Features }), cat(new[] { forgetPart.Labels, retainPart.Labels }));
        var heldLabels = split.HeldOut.Labels.cpu().to_type(ScalarType.Int64).data<long>().ToArray();
        var evaluation = split.HeldOut.Subset((IReadOnlyList<long>)Enumerable.Range(0, heldLabels.Length).Where(i => heldLabels[i] == c).Select(i => (long)i).ToArray());
        if (evaluation.Count == 0) throw new ArgumentException($"Seed {seed}'s held-out split has no sample of class {c} to measure relearning on.");
        return (set, evaluation);
    }

    UnlearningMetrics Metrics(nn.Module<Tensor, Tensor> model, UnlearningSplit split) => Audit.MembershipInference
        ? UnlearningMetrics.Evaluate(model, split.Forget, split.Retain, split.Test, Audit.MiaSeed)
        : new UnlearningMetrics(ModelOutputs.AccuracyPercent(model, split.Forget), ModelOutputs.AccuracyPercent(model, split.Retain),
            ModelOutputs.AccuracyPercent(model, split.Test), double.NaN, double.NaN);

    UnlearningRecord Score(SeedRun run, Mlp model, string method, double seconds, UnlearningMetrics? metrics = null)
    {
        metrics ??= Metrics(model, run.Split);
        LinearProbeResult? probe = null;
        double cka = double.NaN;
        if (Audit.Features)
        {
            probe = LinearProbe.OnFeatures(x => model.Features(x), model, run.ProbeTrain!, run.ProbeTest!, widths[^1]);
            var original = run.OriginalModel!;
            cka = LinearCka.BetweenModels(x => original.Features(x), original, x => model.Features(x), model, run.ProbeTest!);
        }
        int? relearnSteps = Audit.Relearn is { } r
            ? RelearnTime.Measure(model, run.RelearnSet!, run.RelearnEvaluation!, r.Threshold, r.LearningRate, r.MaxSteps)
            : null;
        return new UnlearningRecord
        {
            Method = method, Seed = run.Split.Seed, Metrics = metrics,
            Gap = Audit.MembershipInference ? metrics.AverageGap(run.RetrainMetrics!) : double.NaN,
            Probe = probe, Cka = cka, RelearnSteps = relearnSteps, Seconds = seconds,
            RelativeTime = run.RetrainSeconds > 0 ? seconds / run.RetrainSeconds : double.NaN,
            State = KeepStates ? ModelState.Snapshot(model) : null,
        };
    }

    UnlearningRecord RunArm(SeedRun run, UnlearningArm arm, IReadOnlyList<string> declared)
    {
        int seed = run.Split.Seed;
        using var model = FromState(seed, run.OriginalState!);
        using var checkpoints = new RunCheckpoints(CheckpointEvery, RecordTrajectories, run.Split, run.OriginalRecord!);
        var context = new UnlearningContext(arm.Name, run.Split, model, run.OriginalState!, Options with { Seed = seed },
            run.OriginalRecord!, run.RetrainRecord!, () => FromState(seed, run.OriginalState!), run.ArmStates, declared, checkpoints);
        var clock = Stopwatch.StartNew();
        UnlearningRun? result;
        try { result = arm.Apply(context); }
        finally { context.DisposeOwned(); }
        double seconds = clock.Elapsed.TotalSeconds;
        model.eval();
        int measuredAt = result is { Completed: false } ? checkpoints.RestoreLastFinite(model, run.OriginalState!) : result?.Losses.Count ?? 0;
        var record = Score(run, model, arm.Name, seconds) with
        {
            Losses = result?.Losses ?? [], NonFiniteStep = result?.NonFiniteStep, MeasuredAt = measuredAt,
            Trajectory = RecordTrajectories ? checkpoints.Trajectory.ToArray() : [],
        };
        run.ArmStates[arm.Name] = ModelState.Snapshot(model);
        return record;
    }

    /// <summary>Frees the original models' states kept for later scenarios.</summary>
    public void Dispose()
    {
        lock (originals)
        {
            foreach (var (state, _) in originals.Values) ModelState.Dispose(state);
            originals.Clear();
        }
    }

    /// <summary>What one seed of one scenario holds while its arms run.</summary>
    sealed class SeedRun(UnlearningSplit split) : IDisposable
    {
        public UnlearningSplit Split { get; } = split;
        public IReadOnlyDictionary<string, Tensor>? OriginalState;
        public Mlp? OriginalModel;
        public UnlearningRecord? OriginalRecord, RetrainRecord;
        public UnlearningMetrics? RetrainMetrics;
        public double RetrainSeconds;
        public LabeledTensors? ProbeTrain, ProbeTest, RelearnSet, RelearnEvaluation;
        public Dictionary<string, Dictionary<string, Tensor>> ArmStates { get; } = [];

        public void Dispose()
        {
            Split.Dispose();
            OriginalModel?.Dispose();
            foreach (var d in new[] { ProbeTrain, ProbeTest, RelearnSet, RelearnEvaluation }) d?.Dispose();
            foreach (var s in ArmStates.Values) ModelState.Dispose(s);
            ArmStates.Clear();
        }
    }
}
