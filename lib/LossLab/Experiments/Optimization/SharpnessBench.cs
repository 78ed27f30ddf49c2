using System.Diagnostics;
using LossLab.Data;
using LossLab.Dynamics;
using LossLab.Evaluation;
using LossLab.Optim;
using LossLab.Training;
using LossLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Experiments.Optimization;

/// <summary>
/// SGD against SAM (Foret et al., 2021, "Sharpness-Aware Minimization for Efficiently Improving Generalization",
/// arXiv:2010.01412) under symmetric label noise: an MLP inputs → H → classes trained with SGD with momentum, or with SAM
/// around the same SGD (<see cref="Sam"/> driven by <see cref="SamObjective"/> inside the <see cref="Trainer"/>). A run
/// flips a fraction of the training labels (stream 1 of its seed), fixes the seed and builds the network (so the arms of a
/// seed share labels, initialisation and batch order), trains in chunks of <see cref="MeasureEvery"/> epochs and after each
/// chunk measures, outside the timed training, λ_max (power iteration on Hessian-vector products), Hutchinson's trace and
/// the one-step ρ-sharpness of the full noisy training loss (<see cref="Sharpness"/>); it ends with the accuracy on the
/// clean evaluation set, next to the same network's accuracy before training.
/// </summary>
public sealed class SharpnessBench
{
    readonly LabeledTensors train, test;
    readonly Device device;

    /// <summary>A bench training on <paramref name="train"/> (clean labels; noise is added per run) and evaluating on
    /// <paramref name="test"/>, with an MLP of width <paramref name="hidden"/>, <paramref name="epochs"/> epochs of
    /// mini-batches of <paramref name="batchSize"/>, SGD at <paramref name="learningRate"/> with <paramref name="momentum"/>.</summary>
    /// <exception cref="ArgumentException">Empty data, inputs of different widths, or a size or rate out of range.</exception>
    public SharpnessBench(LabeledTensors train, LabeledTensors test, int hidden, int epochs, int batchSize, double learningRate,
        double momentum = 0.9, int classes = 10, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        if (train.Count == 0) throw new ArgumentException("train must not be empty.", nameof(train));
        if (test.Count == 0) throw new ArgumentException("test must not be empty.", nameof(test));
        if (train.Features.shape.Length != 2 || test.Features.shape.Length != 2 || train.Features.shape[1] != test.Features.shape[1])
            throw new ArgumentException($"train and test must hold flat inputs of one width: train {Guard.Shape(train.Features)}, test {Guard.Shape(test.Features)}.", nameof(test));
        if (hidden < 1) throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "hidden must be at least 1.");
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "epochs must be at least 1.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be at least 1.");
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 2.");
        this.device = device ?? Devices.Choose();
        this.train = DeviceData.On(train, this.device).Data;
        this.test = DeviceData.On(test, this.device).Data;
        Hidden = hidden;
        Epochs = epochs;
        BatchSize = batchSize;
        LearningRate = Guard.Positive(learningRate, nameof(learningRate));
        Momentum = Guard.InRange(momentum, 0, 1, nameof(momentum));
        Classes = classes;
    }

    /// <summary>H, the hidden width.</summary>
    public int Hidden { get; }
    /// <summary>Training epochs per run.</summary>
    public int Epochs { get; }
    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; }
    /// <summary>SGD's learning rate (also SAM's base optimizer's).</summary>
    public double LearningRate { get; }
    /// <summary>SGD's momentum.</summary>
    public double Momentum { get; }
    /// <summary>The number of classes.</summary>
    public int Classes { get; }

    /// <summary>Epochs between sharpness measurements (the last chunk may be shorter).</summary>
    public int MeasureEvery { get; init; } = 10;
    /// <summary>Hessian-vector products for λ_max at most.</summary>
    public int PowerIterations { get; init; } = 30;
    /// <summary>Relative change of λ that stops the power iteration.</summary>
    public double PowerTolerance { get; init; } = 1e-3;
    /// <summary>Rademacher probes of Hutchinson's trace.</summary>
    public int TraceSamples { get; init; } = 10;

    /// <summary>Called for each run after its model and trainer are built and before the first step. It runs, like what it
    /// adds to the trainer, on the thread that trains the run, beside other seeds' runs (<see cref="Workers"/>): it must not
    /// draw from torch's global generator, and state it shares across runs must be locked.</summary>
    public Action<BenchRunContext>? Instrument { get; init; }

    /// <summary>How many seeds train at once (null: <see cref="Threads.Workers"/>: the cores when a notebook runs alone, its
    /// share under <c>losslab run --jobs</c>). The numbers do not depend on it: each run draws its initialisation through
    /// <see cref="Seeds.Isolated{T}"/> and takes every other random number from generators of its own seed.</summary>
    public int? Workers { get; init; }

    /// <summary>Every arm with every seed at label noise <paramref name="noise"/>; ρ-sharpness is measured with radius
    /// <paramref name="measureRho"/> for every arm (<see cref="Workers"/> seeds at once).</summary>
    /// <exception cref="ArgumentException">No arm, or two arms with one name.</exception>
    public MethodComparison<SharpnessRun> Compare(IReadOnlyList<SharpnessArm> arms, double noise, IReadOnlyList<int> seeds, double measureRho)
    {
        var byName = Arms(arms);
        Guard.Positive(measureRho, nameof(measureRho));
        return new MethodComparison<SharpnessRun>(byName.Keys.ToArray(), seeds)
            .Run((_, _) => 0, (name, seed, _) => Run(byName[name], noise, seed, train, test, measureRho, measure: true), workers: Workers);
    }

    /// <summary>SAM's radius at label noise <paramref name="noise"/>: each ρ of <paramref name="grid"/> trains SAM on
    /// <paramref name="fit"/> with the tuning <paramref name="seed"/> (labels noised as in a compared run) and is scored by
    /// accuracy on <paramref name="validation"/>, whose labels are noised alike (stream 2 of the seed); the best ρ wins, ties
    /// going to the smaller ρ.</summary>
    public (double Rho, IReadOnlyList<(double Rho, double Accuracy)> Scores) TuneRho(double noise, IReadOnlyList<double> grid,
        LabeledTensors fit, LabeledTensors validation, int seed)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(validation);
        if (grid.Count == 0) throw new ArgumentException("grid must hold at least one radius ρ.", nameof(grid));
        var arms = grid.Select(rho => SharpnessArm.Sam(rho, $"SAM ρ = {rho}")).ToArray();
        var byName = Arms(arms);
        var (fitted, fitCopied) = DeviceData.On(fit, device);
        var (validated, validationCopied) = DeviceData.On(validation, device);
        using var noisyValidation = Noisy(validated, noise, seed, 2);
        var runs = new MethodComparison<SharpnessRun>(byName.Keys.ToArray(), [seed])
            .Run((_, _) => 0, (name, s, _) => Run(byName[name], noise, s, fitted, noisyValidation, byName[name].Rho!.Value, measure: false), workers: Workers);
        if (fitCopied) fitted.Dispose();
        if (validationCopied) validated.Dispose();
        var scores = arms.Select(a => (a.Rho!.Value, runs[a.Name, seed].TestAccuracy)).ToArray();
        return (scores.OrderByDescending(x => x.Item2).ThenBy(x => x.Item1).First().Item1, scores);
    }

    SharpnessRun Run(SharpnessArm arm, double noise, int seed, LabeledTensors clean, LabeledTensors eval, double measureRho, bool measure)
    {
        using var data = Noisy(clean, noise, seed, 1);
        var evaluation = eval;
        using var model = Seeds.Isolated(seed, () => new Mlp([(int)clean.Features.shape[1], Hidden, Classes]));   // as after Seeds.Fix(seed)
        model.to(device);
        using var sgd = Optimizers.SGD(model.parameters(), LearningRate, momentum: Momentum);
        var sam = arm.Rho is { } rho ? new Sam(model.parameters(), sgd, rho) : null;
        var ce = Objectives.CrossEntropy(model);
        var trainer = sam is null ? new Trainer(model, sgd, ce) { Seed = seed }
            : new Trainer(model, sam, new SamObjective(ce, sam)) { Seed = seed };
        double initialAccuracy = Accuracy(model, evaluation);
        Instrument?.Invoke(new BenchRunContext(arm.Name, seed, model, trainer));

        var clock = new Stopwatch();
        var epochs = new List<double>();
        var lambdas = new List<double>();
        (double Lambda, double Trace, double RhoSharp, double Loss) m = (double.NaN, double.NaN, double.NaN, double.NaN);
        for (int done = 0; done < Epochs;)
        {
            done = Math.Min(Epochs, done + MeasureEvery);
            clock.Start();
            trainer.Fit(data, done, BatchSize).ThrowIfNonFinite();
            clock.Stop();
            if (!measure) continue;
            m = Measure(model, data, seed, measureRho);
            epochs.Add(done);
            lambdas.Add(m.Lambda);
        }
        return new SharpnessRun(arm.Name, noise, seed, Accuracy(model, evaluation), initialAccuracy, m.Loss, m.Lambda, m.Trace,
            m.RhoSharp, clock.Elapsed.TotalSeconds, trainer.Step, epochs.ToArray(), lambdas.ToArray());
    }

    (double Lambda, double Trace, double RhoSharp, double Loss) Measure(Mlp model, LabeledTensors data, long seed, double rho)
    {
        using var scope = NewDisposeScope();
        Tensor FullLoss() => nn.functional.cross_entropy(model.forward(data.Features), data.Labels);
        using var grad = enable_grad();
        var loss = FullLoss();
        using var h = new HessianOperator(loss, model.parameters());
        var (lambda, _) = Sharpness.TopEigenvalue(h, PowerIterations, tolerance: PowerTolerance, seed: seed);
        var trace = Sharpness.HutchinsonTrace(h, TraceSamples, seed);
        var rhoSharp = Sharpness.RhoSharpness(FullLoss, model.parameters(), rho);
        return (lambda, trace, rhoSharp, loss.cpu().ToDouble());
    }

    static double Accuracy(Mlp model, LabeledTensors data)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return ClassificationMetrics.Accuracy(Inference.Predict(model, data), data.Labels);
    }

    /// <summary>The data with a fraction <paramref name="noise"/> of labels flipped to another class (stream
    /// <paramref name="stream"/> of <paramref name="seed"/>); a copy when there is no noise.</summary>
    static LabeledTensors Noisy(LabeledTensors clean, double noise, int seed, int stream) => noise == 0
        ? new LabeledTensors(clean.Features.clone(), clean.Labels.clone())
        : LabelNoise.Symmetric(clean, Guard.InRange(noise, 0, 1, nameof(noise)), Seeds.Random(seed, stream));

    static Dictionary<string, SharpnessArm> Arms(IReadOnlyList<SharpnessArm> arms)
    {
        ArgumentNullException.ThrowIfNull(arms);
        if (arms.Count == 0) throw new ArgumentException("arms must hold at least one optimizer.", nameof(arms));
        var repeated = arms.GroupBy(a => a.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (repeated.Length > 0) throw new ArgumentException($"arm names must be distinct; repeated: {string.Join(", ", repeated)}.", nameof(arms));
        return arms.ToDictionary(a => a.Name);
    }
}
