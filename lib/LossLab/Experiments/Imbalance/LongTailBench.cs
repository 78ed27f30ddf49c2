using LossLab.Dynamics;
using LossLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using LabeledTensors = LossLab.Data.LabeledTensors;

namespace LossLab.Experiments.Imbalance;

/// <summary>
/// A long-tail bench: methods × seeds on one training and test set, through <see cref="MethodComparison{TRun}"/> and
/// <see cref="Trainer"/>. The notebook declares the data, the body (<see cref="Body"/>, <see cref="FeatureSize"/>), the
/// optimizer, epochs, batch size and learning-rate schedule, and a list of <see cref="LongTailMethod"/>s; the bench builds
/// every arm of a seed from the same state (the comparison fixes torch's generator, the body is built before the head,
/// and the trainer's shuffling generator comes from the seed, so every arm sees the same batches), trains it, scores it
/// with <see cref="LongTailScores"/>, and keeps the logits, per-epoch loss, chosen curves and (optionally) the
/// neural-collapse geometry in one <see cref="LongTailRun"/> per method and seed. Derived methods (post-hoc adjustment,
/// a second stage) read their source's run or network of the same seed. The device is
/// <see cref="Devices.Choose"/>'s unless given; metrics come back to the CPU.
/// </summary>
public sealed class LongTailBench
{
    readonly int epochs = 1, batchSize = 128, featureSize = 1;
    readonly int? outputs;

    /// <summary>A bench that trains on <paramref name="train"/> and scores on <paramref name="test"/>, with the training
    /// class counts <paramref name="classCounts"/> (null: counted from integer training labels; give them for 0/1 float
    /// targets, as [negatives, positives]).</summary>
    /// <exception cref="ArgumentException">The class counts are empty, negative, or cannot be counted from the labels.</exception>
    public LongTailBench(LabeledTensors train, LabeledTensors test, IReadOnlyList<long>? classCounts = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        if (classCounts is null && train.Labels.is_floating_point())
            throw new ArgumentException("the training labels are not class indices; give classCounts (for 0/1 targets: [negatives, positives]).", nameof(classCounts));
        var counts = (classCounts ?? train.ClassCounts()).ToArray();
        if (counts.Length == 0 || counts.Any(n => n < 0))
            throw new ArgumentException($"classCounts must hold one non-negative count per class; got [{string.Join(", ", counts)}].", nameof(classCounts));
        Train = train;
        Test = test;
        ClassCounts = counts;
    }

    /// <summary>The training set.</summary>
    public LabeledTensors Train { get; }

    /// <summary>The test set that every run is scored on.</summary>
    public LabeledTensors Test { get; }

    /// <summary>A held-out set whose logits each run keeps too (e.g. to fit temperature scaling); null: none.</summary>
    public LabeledTensors? Validation { get; init; }

    /// <summary>n_c, training samples per class.</summary>
    public IReadOnlyList<long> ClassCounts { get; }

    /// <summary>Builds a fresh body (inputs → features), e.g. <c>() =&gt; LongTailNetwork.MlpBody(64, 256, 128)</c>.</summary>
    public required Func<nn.Module<Tensor, Tensor>> Body { get; init; }

    /// <summary>The number of features the body outputs.</summary>
    public required int FeatureSize
    {
        get => featureSize;
        init => featureSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(FeatureSize), value, "FeatureSize must be at least 1.");
    }

    /// <summary>The head's outputs (default: one per class; 1 for a binary task with two class counts).</summary>
    public int Outputs
    {
        get => outputs ?? ClassCounts.Count;
        init => outputs = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Outputs), value, "Outputs must be at least 1.");
    }

    /// <summary>Makes the optimizer of a run over the parameters it trains (e.g. SGD with momentum).</summary>
    public required Func<IReadOnlyList<Parameter>, optim.Optimizer> Optimizer { get; init; }

    /// <summary>Training epochs of every trained method.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below 1.</exception>
    public required int Epochs
    {
        get => epochs;
        init => epochs = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Epochs), value, "Epochs must be at least 1.");
    }

    /// <summary>Mini-batch size (at least the training set's size with <see cref="Shuffle"/> off: full-batch descent).</summary>
    public int BatchSize
    {
        get => batchSize;
        init => batchSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "BatchSize must be at least 1.");
    }

    /// <summary>Shuffle the training set every epoch (default true).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The learning rate of each 0-based epoch (of a stage: counted from the stage's start); null: the optimizer's own.</summary>
    public Func<int, double>? LearningRate { get; init; }

    /// <summary>Run under no_grad on each new network before training (e.g. a prior-initialised output bias).</summary>
    public Action<LongTailNetwork>? Initialise { get; init; }

    /// <summary>Per-epoch measurements (<see cref="LongTailCurves"/> or the notebook's own), stored as the run's curves.</summary>
    public IReadOnlyList<Func<LongTailEpoch, IReadOnlyDictionary<string, double>>> Curves { get; init; } = [];

    /// <summary>Which completed epochs (1-based) the curves are measured after; null: every epoch.</summary>
    public Func<int, bool>? CurveAt { get; init; }

    /// <summary>Measure NC1–NC4 and the raw class means of the training features at the end of each run.</summary>
    public bool MeasureCollapse { get; init; }

    /// <summary>Also keep each run's early-stopped checkpoint: after every epoch the validation NLL is measured, and the
    /// logits of the epoch with the lowest one (the first, on ties) go to <see cref="LongTailRun.EarlyStopped"/>. Needs
    /// <see cref="Validation"/>. A stage's checkpoint is the best epoch of the stage itself.</summary>
    public bool EarlyStopping { get; init; }

    /// <summary>The device (null: <see cref="Devices.Choose"/>).</summary>
    public Device? Device { get; init; }

    /// <summary>How many seeds train at once (null: <see cref="Threads.Workers"/>: the cores, unless <c>LOSSLAB_THREADS</c> or
    /// <c>LOSSLAB_SEED_WORKERS</c> says otherwise). The numbers do not depend on it: each run's initialisation is drawn in
    /// seed order, and training takes its randomness from the run's own generators. Objectives, curves and adjustments then
    /// run on several threads at once.</summary>
    public int? Workers { get; init; }

    /// <summary>
    /// Runs every method with every seed (seeds outer, <see cref="Workers"/> seeds at once) and returns the comparison of
    /// their runs. Derived methods must come after the method they read.
    /// </summary>
    /// <exception cref="ArgumentException">No methods or seeds, repeated names, a derived method whose source is not an
    /// earlier method, or class counts that do not match the head's outputs.</exception>
    /// <exception cref="InvalidOperationException">A run stopped before its last epoch (e.g. a non-finite loss).</exception>
    public MethodComparison<LongTailRun> Run(IReadOnlyList<LongTailMethod> methods, IReadOnlyList<int> seeds,
        Action<(int Done, int Total, string Method, int Seed, double Seconds)>? onRun = null)
    {
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(seeds);
        if (methods.Count == 0) throw new ArgumentException("a long-tail bench needs at least one method; methods is empty.", nameof(methods));
        if (methods.Any(m => m is null)) throw new ArgumentException("methods must not contain null.", nameof(methods));
        for (int i = 0; i < methods.Count; i++)
            if (methods[i].From is { } from && !methods.Take(i).Any(m => m.Name == from))
                throw new ArgumentException($"'{methods[i].Name}' is derived from '{from}', which is not an earlier method; declare it before: [{string.Join(", ", methods.Select(m => m.Name))}].", nameof(methods));
        if (EarlyStopping && Validation is null)
            throw new ArgumentException("EarlyStopping picks the checkpoint with the lowest validation NLL, but the bench has no Validation set.", nameof(methods));
        bool binary = Outputs == 1 && ClassCounts.Count == 2;
        if (Outputs != ClassCounts.Count && !binary)
            throw new ArgumentException($"the head has {Outputs} outputs but there are {ClassCounts.Count} class counts (one output per class, or one output for two classes).", nameof(methods));

        var comparison = new MethodComparison<LongTailRun>(methods.Select(m => m.Name).ToArray(), seeds);
        var byName = methods.ToDictionary(m => m.Name);
        var continued = methods.Where(m => m.IsStage).Select(m => m.From!).ToHashSet();
        var device = Device ?? Devices.Choose();
        bool move = Train.Features.device != device || Test.Features.device != device || (Validation is not null && Validation.Features.device != device);
        var train = move ? Train.To(device) : Train;
        var test = move ? Test.To(device) : Test;
        var validation = Validation is null ? null : move ? Validation.To(device) : Validation;
        // Networks a later stage continues from, per seed; a seed's methods run in order on one thread (see Run's remarks).
        var kept = new System.Collections.Concurrent.ConcurrentDictionary<(string Method, int Seed), LongTailNetwork>();
        string last = methods[^1].Name;
        try
        {
            comparison.Run((name, seed) =>
            {
                // The start: the only part that draws from the global generator (the initialisation).
                var method = byName[name];
                if (method.Adjust is not null) return null;
                return method.IsStage ? Copy(kept[(method.From!, seed)], device) : Build(method.Head, device);
            },
            (name, seed, network) =>
            {
                var method = byName[name];
                try
                {
                    if (network is null) return Adjusted(method, comparison[method.From!, seed]);
                    var source = method.IsStage ? comparison[method.From!, seed] : null;
                    var trainable = method.Stage?.Trainable?.Invoke(network) ?? network.parameters().Where(p => p.requires_grad).ToArray();
                    int stageEpochs = method.Stage?.Epochs ?? Epochs;
                    var trained = Fit(method, seed, network, trainable, stageEpochs, source?.EpochLoss.Length ?? 0, train, test, validation);
                    var run = Score(method, seed, network, trained, source, train, test, validation);
                    if (continued.Contains(name)) { kept[(name, seed)] = network; network = null; }
                    return run;
                }
                finally
                {
                    network?.Dispose();
                    if (name == last)
                        foreach (var key in kept.Keys.Where(k => k.Seed == seed).ToArray())
                            if (kept.TryRemove(key, out var done)) done.Dispose();
                }
            }, onRun, Workers);
        }
        finally
        {
            foreach (var network in kept.Values) network.Dispose();
            if (move) { train.Dispose(); test.Dispose(); validation?.Dispose(); }
        }
        return comparison;
    }

    LongTailNetwork Build(HeadKind head, Device device)
    {
        var body = Body() ?? throw new InvalidOperationException("Body returned null.");
        var network = new LongTailNetwork(body, FeatureSize, Outputs, head);
        network.to(device);
        if (Initialise is not null)
            using (no_grad()) Initialise(network);
        return network;
    }

    LongTailNetwork Copy(LongTailNetwork source, Device device)
    {
        var copy = new LongTailNetwork(Body(), FeatureSize, Outputs, source.Kind);
        copy.to(device);
        using (no_grad())
        {
            var from = source.state_dict();
            foreach (var (name, tensor) in copy.state_dict()) tensor.copy_(from[name]);
        }
        return copy;
    }

    sealed record Trained(double[] EpochLoss, int[] CurveEpochs, Dictionary<string, List<double>> Curves, LongTailCheckpoint? EarlyStopped);

    Trained Fit(LongTailMethod method, int seed, LongTailNetwork network, IReadOnlyList<Parameter> trainable, int epochCount, int epochOffset,
        LabeledTensors train, LabeledTensors test, LabeledTensors? validation)
    {
        var objective = method.MakeObjective!(network) ?? throw new InvalidOperationException($"the objective of '{method.Name}' is null.");
        using var optimizer = Optimizer(trainable) ?? throw new InvalidOperationException("Optimizer returned null.");
        long stepsPerEpoch = (train.Count + BatchSize - 1) / BatchSize;
        var schedule = LearningRate;
        var trainer = new Trainer(network, optimizer, objective)
        {
            Seed = seed, Shuffle = Shuffle, Schedule = schedule is null ? null : step => schedule((int)(step / stepsPerEpoch)),
        };
        if (method.AfterStep is { } afterStep) trainer.AddAfterStep((_, _) => afterStep(network, trainable));
        var curveEpochs = new List<int>();
        var curves = new Dictionary<string, List<double>>();
        if (Curves.Count > 0)
            trainer.AddEvaluation(e =>
            {
                int done = epochOffset + e + 1;
                if (CurveAt is not null && !CurveAt(done)) return new Dictionary<string, double>();
                var view = new LongTailEpoch(method, seed, done, network, train, test, ClassCounts.Count, network.HeadWeight.device);
                var values = new Dictionary<string, double>();
                foreach (var curve in Curves)
                    foreach (var (k, v) in curve(view)) values[k] = v;
                foreach (var (k, v) in values)
                {
                    if (!curves.TryGetValue(k, out var list)) curves[k] = list = [.. Enumerable.Repeat(double.NaN, curveEpochs.Count)];
                    list.Add(v);
                }
                curveEpochs.Add(done);
                foreach (var list in curves.Values) if (list.Count < curveEpochs.Count) list.Add(double.NaN);
                return values;
            });
        LongTailCheckpoint? best = null;
        if (EarlyStopping)
            trainer.AddEvaluation(e =>
            {
                // The trainer calls this in eval mode, under no_grad and inside a dispose scope: only the kept logits leave it.
                var validationLogits = network.call(validation!.Features);
                double nll = ValidationNll(validationLogits, validation.Labels);
                if (best is null || nll < best.ValidationNll)
                {
                    best?.Dispose();
                    best = new LongTailCheckpoint(epochOffset + e + 1, nll, network.call(test.Features).cpu().DetachFromDisposeScope(),
                        validationLogits.cpu().DetachFromDisposeScope());
                }
                return new Dictionary<string, double> { ["validation_nll"] = nll };
            });
        try
        {
            var result = trainer.Fit(train, epochCount, BatchSize);
            if (result.Status != TrainingStatus.Completed)
                throw new InvalidOperationException($"'{method.Name}' with seed {seed} stopped after {result.Steps} steps: {result.Status}" +
                    (result.NonFiniteLoss is { } bad ? $" (loss {bad} at step {result.NonFiniteStep})." : "."));
        }
        catch
        {
            best?.Dispose();
            throw;
        }
        var loss = Enumerable.Range(0, epochCount).Select(trainer.History.MeanLoss).ToArray();
        return new Trained(loss, curveEpochs.ToArray(), curves, best);
    }

    /// <summary>Mean negative log-likelihood of the labels (float64): cross-entropy for class logits, binary
    /// cross-entropy for a single logit with 0/1 targets. Called inside a dispose scope.</summary>
    static double ValidationNll(Tensor logits, Tensor labels)
    {
        var z = logits.to(ScalarType.Float64);   // in the caller's dispose scope
        if (z.shape[1] == 1)
            return nn.functional.binary_cross_entropy_with_logits(z, labels.to(ScalarType.Float64).reshape(-1, 1)).ToDouble();
        return nn.functional.cross_entropy(z, labels).ToDouble();
    }

    LongTailRun Score(LongTailMethod method, int seed, LongTailNetwork network, Trained trained, LongTailRun? source,
        LabeledTensors train, LabeledTensors test, LabeledTensors? validation)
    {
        network.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var testLogits = network.call(test.Features).cpu().DetachFromDisposeScope();
        var validationLogits = validation is null ? null : network.call(validation.Features).cpu().DetachFromDisposeScope();
        var scores = LongTailScores.Of(testLogits, Test.Labels, ClassCounts, network.HeadWeight);
        NeuralCollapseMetrics? collapse = null;
        double[]? meanNorms = null;
        double[,]? meanCosines = null;
        if (MeasureCollapse)
        {
            var h = network.Features(train.Features);
            collapse = NeuralCollapse.Measure(h, train.Labels, ClassCounts.Count, network.HeadWeight, network.HeadBias);
            var h64 = h.to(ScalarType.Float64);
            meanNorms = NeuralCollapse.ClassMeans(h64, train.Labels, ClassCounts.Count).norm(1).cpu().data<double>().ToArray();
            meanCosines = Square(NeuralCollapse.ClassMeanCosines(h64, train.Labels, ClassCounts.Count, centred: false).cpu().data<double>().ToArray(), ClassCounts.Count);
        }
        var curves = trained.Curves.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        var epochLoss = trained.EpochLoss;
        var curveEpochs = trained.CurveEpochs;
        if (source is not null)
        {
            epochLoss = [.. source.EpochLoss, .. epochLoss];
            curves = source.Curves.Keys.Union(curves.Keys).ToDictionary(k => k, k =>
                (source.Curves.TryGetValue(k, out var a) ? a : Enumerable.Repeat(double.NaN, source.CurveEpochs.Length).ToArray())
                .Concat(curves.TryGetValue(k, out var b) ? b : Enumerable.Repeat(double.NaN, curveEpochs.Length)).ToArray());
            curveEpochs = [.. source.CurveEpochs, .. curveEpochs];
        }
        return new LongTailRun
        {
            Method = method.Name, Seed = seed, From = method.From, Scores = scores, TestLogits = testLogits, ValidationLogits = validationLogits,
            EpochLoss = epochLoss, CurveEpochs = curveEpochs, Curves = curves, Collapse = collapse, ClassMeanNorms = meanNorms, ClassMeanCosines = meanCosines,
            EarlyStopped = trained.EarlyStopped,
        };
    }

    LongTailRun Adjusted(LongTailMethod method, LongTailRun source)
    {
        using var noGrad = no_grad();
        var test = method.Adjust!(source.TestLogits).detach().cpu().DetachFromDisposeScope();
        var validation = source.ValidationLogits is null ? null : method.Adjust(source.ValidationLogits).detach().cpu().DetachFromDisposeScope();
        using var rows = torch.tensor(source.Scores.ClassifierRows);
        var early = source.EarlyStopped is { } checkpoint
            ? checkpoint with
            {
                TestLogits = method.Adjust(checkpoint.TestLogits).detach().cpu().DetachFromDisposeScope(),
                ValidationLogits = method.Adjust(checkpoint.ValidationLogits).detach().cpu().DetachFromDisposeScope(),
            }
            : null;
        return source with
        {
            Method = method.Name, From = method.From, TestLogits = test, ValidationLogits = validation, EarlyStopped = early,
            Scores = LongTailScores.Of(test, Test.Labels, ClassCounts, rows) with { ClassifierRows = source.Scores.ClassifierRows, RowNorms = source.Scores.RowNorms },
        };
    }

    static double[,] Square(double[] flat, int n)
    {
        var m = new double[n, n];
        for (int a = 0; a < n; a++) for (int b = 0; b < n; b++) m[a, b] = flat[a * n + b];
        return m;
    }
}
