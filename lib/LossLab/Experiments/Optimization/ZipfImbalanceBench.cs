using LossLab.Data;
using LossLab.Dynamics;
using LossLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Experiments.Optimization;

/// <summary>
/// Optimizers under heavy-tailed class imbalance (Kunstner et al., 2024, "Heavy-Tailed Class Imbalance and Why Adam
/// Outperforms Gradient Descent on Language Models", arXiv:2402.19449): linear softmax regression, full batch, on a
/// Gaussian mixture whose class counts follow Zipf's law n_k ∝ k^−s (at least one sample per class). Every run starts from
/// the zero model (so all arms of a seed start alike) on the data of its seed, and records the training loss and the loss of
/// each class-frequency group before every step. <see cref="Tune"/> picks each arm's learning rate on a tuning seed;
/// <see cref="Compare"/> runs arms × seeds at one exponent with those rates.
/// </summary>
public sealed class ZipfImbalanceBench
{
    readonly Device device;

    /// <summary>A bench of <paramref name="classes"/> classes in <paramref name="dimensions"/> dimensions, <paramref name="samples"/>
    /// samples split by Zipf frequencies, class means <paramref name="separation"/> apart (noise σ = 1), and
    /// <paramref name="steps"/> full-batch steps per run, on <paramref name="device"/> (null: <see cref="Devices.Choose"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than two classes, no dimension, fewer samples than classes, a
    /// negative separation, or no step.</exception>
    public ZipfImbalanceBench(int classes, int dimensions, int samples, double separation, int steps, Device? device = null)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 2.");
        if (dimensions < 1) throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "dimensions must be at least 1.");
        if (samples < classes)
            throw new ArgumentOutOfRangeException(nameof(samples), samples, $"samples must be at least the number of classes ({classes}).");
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be at least 1.");
        Classes = classes;
        Dimensions = dimensions;
        Samples = samples;
        Separation = Guard.NonNegative(separation, nameof(separation));
        Steps = steps;
        this.device = device ?? Devices.Choose();
    }

    /// <summary>C, the number of classes.</summary>
    public int Classes { get; }
    /// <summary>d, the input dimension.</summary>
    public int Dimensions { get; }
    /// <summary>n, the training samples before rounding the Zipf counts.</summary>
    public int Samples { get; }
    /// <summary>The distance between class means (noise σ = 1).</summary>
    public double Separation { get; }
    /// <summary>Full-batch steps per run.</summary>
    public int Steps { get; }

    /// <summary>The floating-point type of data and model (float32; float64 for exact comparisons).</summary>
    public ScalarType Precision { get; init; } = ScalarType.Float32;

    /// <summary>Called for each run after its model and trainer are built and before the first step. It runs, like what it
    /// adds to the trainer, on the thread that trains the run, beside other seeds' runs (<see cref="Workers"/>): it must not
    /// draw from torch's global generator, and state it shares across runs must be locked.</summary>
    public Action<BenchRunContext>? Instrument { get; init; }

    /// <summary>How many seeds train at once (null: <see cref="Threads.Workers"/>: the cores when a notebook runs alone, its
    /// share under <c>losslab run --jobs</c>). The numbers do not depend on it: each run draws its initialisation through
    /// <see cref="Seeds.Isolated{T}"/> and takes every other random number from generators of its own seed.</summary>
    public int? Workers { get; init; }

    /// <summary>The loss of the zero-initialised model, which predicts the uniform distribution: log C.</summary>
    public double InitialLoss => Math.Log(Classes);

    /// <summary>Class counts n_k = max(1, round(n·k^−s / Σⱼ j^−s)), k = 1 … C (class 0 the most frequent).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The exponent is negative or not finite.</exception>
    public int[] ClassCounts(double exponent)
    {
        Guard.NonNegative(exponent, nameof(exponent));
        var w = Enumerable.Range(1, Classes).Select(k => Math.Pow(k, -exponent)).ToArray();
        double total = w.Sum();
        return w.Select(x => Math.Max(1, (int)Math.Round(Samples * x / total))).ToArray();
    }

    /// <summary>Each arm's learning rate: the rate of its grid with the lowest final loss at <paramref name="exponent"/> on
    /// <paramref name="seed"/> (a diverged rate never wins; ties go to the earlier rate of the grid).</summary>
    /// <exception cref="ArgumentException">No arm, or two arms with one name.</exception>
    public IReadOnlyDictionary<string, double> Tune(IReadOnlyList<OptimizerArm> arms, double exponent, int seed)
    {
        CheckArms(arms);
        var byName = new Dictionary<string, (OptimizerArm Arm, double Rate)>();
        foreach (var arm in arms)
            foreach (var rate in arm.Rates)
                byName[$"{arm.Name}, η = {rate}"] = (arm, rate);
        var grid = new MethodComparison<ImbalanceRun>(byName.Keys.ToArray(), [seed])
            .Run((_, _) => 0, (name, s, _) => Run(byName[name].Arm, byName[name].Rate, exponent, s, classCurves: false), workers: Workers);
        return arms.ToDictionary(a => a.Name,
            a => a.Rates.Select(r => grid[$"{a.Name}, η = {r}", seed]).OrderBy(r => r.Final).First().Rate);
    }

    /// <summary>Every arm (at its rate in <paramref name="rates"/>) on the data of every seed at <paramref name="exponent"/>
    /// (<see cref="Workers"/> seeds at once).</summary>
    /// <param name="arms">The optimizers.</param>
    /// <param name="rates">Each arm's learning rate by name (e.g. from <see cref="Tune"/>).</param>
    /// <param name="exponent">s ≥ 0 (0: balanced classes).</param>
    /// <param name="seeds">The data seeds.</param>
    /// <param name="classCurves">Record the loss of each frequency group at every step.</param>
    /// <exception cref="ArgumentException">No arm, two arms with one name, or an arm without a rate.</exception>
    public MethodComparison<ImbalanceRun> Compare(IReadOnlyList<OptimizerArm> arms, IReadOnlyDictionary<string, double> rates,
        double exponent, IReadOnlyList<int> seeds, bool classCurves = true)
    {
        CheckArms(arms);
        ArgumentNullException.ThrowIfNull(rates);
        var missing = arms.Where(a => !rates.ContainsKey(a.Name)).Select(a => a.Name).ToArray();
        if (missing.Length > 0)
            throw new ArgumentException($"rates has no learning rate for {string.Join(", ", missing)}; it has [{string.Join(", ", rates.Keys)}].", nameof(rates));
        var byName = arms.ToDictionary(a => a.Name);
        return new MethodComparison<ImbalanceRun>(arms.Select(a => a.Name).ToArray(), seeds)
            .Run((_, _) => 0, (name, seed, _) => Run(byName[name], rates[name], exponent, seed, classCurves), workers: Workers);
    }

    /// <summary>One run of <paramref name="arm"/> at <paramref name="rate"/> on the data of <paramref name="seed"/>.</summary>
    public ImbalanceRun Run(OptimizerArm arm, double rate, double exponent, int seed, bool classCurves = true)
    {
        ArgumentNullException.ThrowIfNull(arm);
        Guard.Positive(rate, nameof(rate));
        var counts = ClassCounts(exponent);
        var longCounts = counts.Select(c => (long)c).ToArray();
        var deciles = PerClassLoss.FrequencyBuckets(longCounts, Math.Min(10, Classes));
        var halves = PerClassLoss.FrequencyBuckets(longCounts, 2);
        using var generated = GaussianMixture.Generate(counts, Dimensions, Separation, seed);
        using var data = new LabeledTensors(generated.Features.to(Precision).to(device), generated.Labels.to(device));

        // Built as right after Seeds.Fix(seed), without moving torch's global generator; the weights are then zeroed.
        using var model = Seeds.Isolated(seed, () => nn.Linear(Dimensions, Classes, dtype: Precision));
        model.to(device);
        using (no_grad()) { model.weight!.zero_(); model.bias!.zero_(); }
        using var optimizer = arm.Create(model.parameters(), rate);

        double prior;   // the best constant predictor: log-probabilities = empirical class frequencies
        using (no_grad())
        using (NewDisposeScope())
        {
            double n = counts.Sum();
            var logPrior = tensor(counts.Select(c => Math.Log(c / n)).ToArray(), dtype: Precision, device: device);
            prior = nn.functional.cross_entropy(logPrior.unsqueeze(0).expand(data.Count, Classes), data.Labels).cpu().ToDouble();
        }

        var decileTrace = new List<double[]>();
        var frequentTrace = new List<double>();
        var rareTrace = new List<double>();
        var trainer = new Trainer(model, optimizer, b =>
        {
            var logits = model.forward(b.Inputs);
            if (!classCurves) return nn.functional.cross_entropy(logits, b.Targets);
            // One pass over the (N, C) logits: the per-sample losses give both the training loss and the per-class losses.
            var sampleLosses = nn.functional.cross_entropy(logits, b.Targets, reduction: nn.Reduction.None);
            var perClass = PerClassLoss.FromSampleLosses(sampleLosses, b.Targets, Classes);
            decileTrace.Add(PerClassLoss.GroupMeans(perClass, longCounts, deciles));
            var half = PerClassLoss.GroupMeans(perClass, longCounts, halves);
            frequentTrace.Add(half[0]);
            rareTrace.Add(half[1]);
            return sampleLosses.mean();
        }) { Shuffle = false };
        Instrument?.Invoke(new BenchRunContext(arm.Name, seed, model, trainer));
        var result = trainer.Fit(data, Steps, (int)data.Count);
        return new ImbalanceRun(arm.Name, rate, exponent, seed, trainer.History.Losses.ToArray(), decileTrace.ToArray(),
            frequentTrace.ToArray(), rareTrace.ToArray(), result.Status == TrainingStatus.Completed, prior);
    }

    static void CheckArms(IReadOnlyList<OptimizerArm> arms)
    {
        ArgumentNullException.ThrowIfNull(arms);
        if (arms.Count == 0) throw new ArgumentException("arms must hold at least one optimizer.", nameof(arms));
        var repeated = arms.GroupBy(a => a.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (repeated.Length > 0) throw new ArgumentException($"arm names must be distinct; repeated: {string.Join(", ", repeated)}.", nameof(arms));
    }
}
