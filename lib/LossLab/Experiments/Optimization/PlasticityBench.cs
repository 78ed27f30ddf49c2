using System.Diagnostics;
using LossLab.Data;
using LossLab.Dynamics;
using LossLab.Evaluation;
using LossLab.Optim;
using LossLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Experiments.Optimization;

/// <summary>
/// Loss of plasticity on a sequence of label-permuted tasks (Dohare et al., 2024, "Loss of Plasticity in Deep Continual
/// Learning", Nature; arXiv:2306.13812). Task t of seed s draws <see cref="SamplesPerTask"/> images of the pool and a
/// permutation of the labels (stream 1000 + t of s), and an MLP inputs → H → H → classes (ReLU) trained with Adam takes
/// <see cref="EpochsPerTask"/> shuffled passes over it (order from stream 2000 + t), so every learner of a seed sees the same
/// tasks, batches and initialisation. Per task the bench records the accuracy before training on it, the end-of-task
/// training accuracy, the τ-dormant fraction of both hidden layers (<see cref="DormantUnits"/>), the effective rank of the
/// last hidden layer (<see cref="Ranks"/>) and the weight norm.
/// </summary>
public sealed class PlasticityBench
{
    readonly LabeledTensors pool;
    readonly Device device;
    readonly int classes;

    /// <summary>A bench drawing tasks from <paramref name="pool"/> (flat inputs, labels 0 … C − 1).</summary>
    /// <exception cref="ArgumentException">Inputs that are not flat, a task larger than the pool, or a size out of range.</exception>
    public PlasticityBench(LabeledTensors pool, int tasks, int samplesPerTask, int epochsPerTask, int batchSize, int hidden,
        double learningRate, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.Features.shape.Length != 2)
            throw new ArgumentException($"pool must hold flat inputs (N, D); got {Guard.Shape(pool.Features)}.", nameof(pool));
        if (tasks < 1) throw new ArgumentOutOfRangeException(nameof(tasks), tasks, "tasks must be at least 1.");
        if (samplesPerTask < 1 || samplesPerTask > pool.Count)
            throw new ArgumentOutOfRangeException(nameof(samplesPerTask), samplesPerTask, $"samplesPerTask must lie in [1, {pool.Count}] (the pool's size).");
        if (epochsPerTask < 1) throw new ArgumentOutOfRangeException(nameof(epochsPerTask), epochsPerTask, "epochsPerTask must be at least 1.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be at least 1.");
        if (hidden < 1) throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "hidden must be at least 1.");
        Tasks = tasks;
        SamplesPerTask = samplesPerTask;
        EpochsPerTask = epochsPerTask;
        BatchSize = batchSize;
        Hidden = hidden;
        LearningRate = Guard.Positive(learningRate, nameof(learningRate));
        this.device = device ?? Devices.Choose();
        this.pool = DeviceData.On(pool, this.device).Data;
        classes = (int)pool.ClassCounts().Length;
    }

    /// <summary>Tasks in the sequence.</summary>
    public int Tasks { get; }
    /// <summary>Images drawn per task.</summary>
    public int SamplesPerTask { get; }
    /// <summary>Passes over a task's images.</summary>
    public int EpochsPerTask { get; }
    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; }
    /// <summary>H, the width of both hidden layers.</summary>
    public int Hidden { get; }
    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; }
    /// <summary>τ, the dormant threshold on the normalised mean |activation|.</summary>
    public double Tau { get; init; } = 0.01;

    /// <summary>Called for each run after its model and trainer are built and before the first step. It runs, like what it
    /// adds to the trainer, on the thread that trains the run, beside other seeds' runs (<see cref="Workers"/>): it must not
    /// draw from torch's global generator, and state it shares across runs must be locked.</summary>
    public Action<BenchRunContext>? Instrument { get; init; }

    /// <summary>How many seeds train at once (null: <see cref="Threads.Workers"/>: the cores when a notebook runs alone, its
    /// share under <c>losslab run --jobs</c>). The numbers do not depend on it: each run draws its initialisation through
    /// <see cref="Seeds.Isolated{T}"/> and takes every other random number from generators of its own seed.</summary>
    public int? Workers { get; init; }

    /// <summary>Every learner with every seed (<see cref="Workers"/> seeds at once).</summary>
    /// <exception cref="ArgumentException">No learner, or two learners with one name.</exception>
    public MethodComparison<PlasticityRun> Compare(IReadOnlyList<PlasticityLearner> learners, IReadOnlyList<int> seeds)
    {
        ArgumentNullException.ThrowIfNull(learners);
        if (learners.Count == 0) throw new ArgumentException("learners must hold at least one learner.", nameof(learners));
        var repeated = learners.GroupBy(l => l.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (repeated.Length > 0) throw new ArgumentException($"learner names must be distinct; repeated: {string.Join(", ", repeated)}.", nameof(learners));
        var byName = learners.ToDictionary(l => l.Name);
        return new MethodComparison<PlasticityRun>(byName.Keys.ToArray(), seeds).Run((_, _) => 0, (name, seed, _) => Run(byName[name], seed), workers: Workers);
    }

    /// <summary>The pool indices and the label permutation of task <paramref name="task"/> (0-based) of <paramref name="seed"/>.</summary>
    public (long[] Indices, long[] Permutation) Task(int seed, int task)
    {
        var rng = Seeds.Random(seed, 1000 + task);
        var indices = Enumerable.Range(0, (int)pool.Count).OrderBy(_ => rng.Next()).Take(SamplesPerTask).Select(i => (long)i).ToArray();
        var permutation = Enumerable.Range(0, classes).OrderBy(_ => rng.Next()).Select(i => (long)i).ToArray();
        return (indices, permutation);
    }

    /// <summary>One learner on the task sequence of <paramref name="seed"/>: the network is initialised as right after
    /// <c>Seeds.Fix(seed)</c>, without moving torch's global generator.</summary>
    public PlasticityRun Run(PlasticityLearner learner, int seed)
    {
        ArgumentNullException.ThrowIfNull(learner);
        var clock = Stopwatch.StartNew();
        var network = Seeds.Isolated(seed, () => new PlasticityNetwork((int)pool.Features.shape[1], Hidden, classes, device));
        using var model = network.Module;
        using var optimizer = Optimizers.Adam(model.parameters(), LearningRate);
        var attached = learner.Attach(network, seed, device);
        var trainer = new Trainer(model, optimizer, b => nn.functional.cross_entropy(network.Train(b.Inputs), b.Targets));
        if (attached is { } a) trainer.AddAfterStep((_, _) => a.AfterStep());
        Instrument?.Invoke(new BenchRunContext(learner.Name, seed, model, trainer));

        var stats = new List<TaskStats>();
        long batchesPerEpoch = (SamplesPerTask + BatchSize - 1) / BatchSize;
        for (int t = 0; t < Tasks; t++)
        {
            var (indices, permutation) = Task(seed, t);
            using var index = tensor(indices, device: device);
            using var x = pool.Features.index(index);
            using var perm = tensor(permutation, device: device);
            using var y = perm.index(pool.Labels.index(index));
            double before;   // accuracy on the new labelling before any step on it: the reference point
            using (no_grad())
            using (NewDisposeScope()) before = ClassificationMetrics.Accuracy(network.Forward(x).Logits, y);

            // A fresh shuffle of the task's samples at each epoch's first batch.
            using var order = Seeds.Generator(seed, 2000 + t);
            long start = trainer.Step;
            Tensor? shuffle = null;
            trainer.FitSteps(step =>
            {
                long k = step - start, b = k % batchesPerEpoch * BatchSize;
                if (k % batchesPerEpoch == 0)
                {
                    shuffle?.Dispose();
                    shuffle = randperm(SamplesPerTask, generator: order).to(device).DetachFromDisposeScope();
                }
                var ix = shuffle!.narrow(0, b, Math.Min(BatchSize, SamplesPerTask - b));
                return (x.index(ix), y.index(ix));
            }, start + EpochsPerTask * batchesPerEpoch).ThrowIfNonFinite();
            shuffle?.Dispose();

            using (no_grad())
            using (NewDisposeScope())
            {
                var (h1, h2, logits) = network.Forward(x);
                double accuracy = ClassificationMetrics.Accuracy(logits, y);
                double dormant = (DormantUnits.Fraction(h1, Tau) + DormantUnits.Fraction(h2, Tau)) / 2;
                stats.Add(new TaskStats(t + 1, before, accuracy, dormant, Ranks.Effective(h2), Norms.Weight(model.parameters())));
            }
        }
        return new PlasticityRun(learner.Name, seed, stats.ToArray(), attached?.Replaced() ?? 0, clock.Elapsed.TotalSeconds);
    }
}
