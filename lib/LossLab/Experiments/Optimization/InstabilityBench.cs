using LossLab.Data;
using LossLab.Optim;
using LossLab.Training;
using LossLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Experiments.Optimization;

/// <summary>
/// Training instabilities of a small Transformer LM (Wortsman et al., 2023, "Small-scale proxies for large-scale Transformer
/// training instabilities", arXiv:2309.14322; AdaGC, Wang et al., 2025, arXiv:2502.11034): a <see cref="TransformerLm"/>
/// trained with AdamW on fresh batches of a Zipf–Markov chain every step (the batch of step t and seed s is the chain's
/// sample with seed s·1,000,003 + t, so every arm of a seed sees the same batches, and the seed fixes the initialisation).
/// Before each update a run records the cross-entropy, the mean log Z and the largest attention logit, and counts loss
/// spikes (<see cref="LossSpikeDetector"/>); a non-finite loss stops the run before the update.
/// </summary>
public sealed class InstabilityBench
{
    readonly Device device;

    /// <summary>A bench of models shaped like <paramref name="model"/> (its QkNorm is set by each variant) on
    /// <paramref name="chain"/>, <paramref name="batchSize"/> sequences of the model's context per step, for
    /// <paramref name="steps"/> steps.</summary>
    /// <exception cref="ArgumentException">The model's vocabulary is not the chain's, or a size is not positive.</exception>
    public InstabilityBench(ZipfMarkovChain chain, TransformerConfig model, int batchSize, int steps, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(model);
        if (model.Vocabulary != chain.VocabSize)
            throw new ArgumentException($"the model's vocabulary ({model.Vocabulary}) must be the chain's ({chain.VocabSize}).", nameof(model));
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be at least 1.");
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be at least 1.");
        Chain = chain;
        Model = model;
        BatchSize = batchSize;
        Steps = steps;
        this.device = device ?? Devices.Choose();
    }

    /// <summary>The token source.</summary>
    public ZipfMarkovChain Chain { get; }
    /// <summary>The model's shape.</summary>
    public TransformerConfig Model { get; }
    /// <summary>Sequences per step.</summary>
    public int BatchSize { get; }
    /// <summary>Steps per run.</summary>
    public int Steps { get; }
    /// <summary>AdamW's decoupled weight decay.</summary>
    public double WeightDecay { get; init; }
    /// <summary>The spike detector's window (previous losses whose median is the reference).</summary>
    public int SpikeWindow { get; init; } = 20;
    /// <summary>The spike detector's factor k: a loss above k × the running median is a spike.</summary>
    public double SpikeFactor { get; init; } = 1.5;

    /// <summary>Called for each run after its model and trainer are built and before the first step. It runs, like what it
    /// adds to the trainer, on the thread that trains the run, beside other seeds' runs (<see cref="Workers"/>): it must not
    /// draw from torch's global generator, and state it shares across runs must be locked.</summary>
    public Action<BenchRunContext>? Instrument { get; init; }

    /// <summary>How many seeds train at once (null: <see cref="Threads.Workers"/>: the cores when a notebook runs alone, its
    /// share under <c>losslab run --jobs</c>). The numbers do not depend on it: each run draws its initialisation through
    /// <see cref="Seeds.Isolated{T}"/> and takes every other random number from generators of its own seed.</summary>
    public int? Workers { get; init; }

    /// <summary>Every arm with every seed (<see cref="Workers"/> seeds at once).</summary>
    /// <exception cref="ArgumentException">No arm, or two arms with one name.</exception>
    public MethodComparison<LmRun> Compare(IReadOnlyList<LmArm> arms, IReadOnlyList<int> seeds)
    {
        ArgumentNullException.ThrowIfNull(arms);
        if (arms.Count == 0) throw new ArgumentException("arms must hold at least one arm.", nameof(arms));
        var repeated = arms.GroupBy(a => a.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (repeated.Length > 0) throw new ArgumentException($"arm names must be distinct; repeated: {string.Join(", ", repeated)}.", nameof(arms));
        var byName = arms.ToDictionary(a => a.Name);
        return new MethodComparison<LmRun>(byName.Keys.ToArray(), seeds).Run((_, _) => 0, (name, seed, _) => Run(byName[name], seed), workers: Workers);
    }

    /// <summary>The tokens (<see cref="BatchSize"/>, context + 1) of step <paramref name="step"/> for <paramref name="seed"/>:
    /// uniformly random tokens for an outlier step of <paramref name="arm"/>, the chain's sample otherwise.</summary>
    public Tensor Tokens(LmArm arm, int seed, long step)
    {
        ArgumentNullException.ThrowIfNull(arm);
        if (!arm.IsOutlier(step)) return Chain.Sample(BatchSize, Model.Context + 1, seed * 1_000_003 + (int)step);
        using var generator = Seeds.Generator(seed, step);
        return randint(0, Model.Vocabulary, [BatchSize, Model.Context + 1], dtype: ScalarType.Int64, generator: generator);
    }

    /// <summary>One run of <paramref name="arm"/> with <paramref name="seed"/>: the model is initialised as right after
    /// <c>Seeds.Fix(seed)</c>, without moving torch's global generator.</summary>
    public LmRun Run(LmArm arm, int seed)
    {
        ArgumentNullException.ThrowIfNull(arm);
        using var model = Seeds.Isolated(seed, () => new TransformerLm(Model with { QkNorm = arm.Variant.QkNorm }));
        model.to(device);
        foreach (var block in model.Blocks) block.TrackLogits = true;
        double zWeight = arm.Variant.ZLossWeight;
        using var optimizer = Optimizers.AdamW(model.parameters(), arm.Rate, weight_decay: WeightDecay);
        var spikes = new LossSpikeDetector(SpikeWindow, SpikeFactor);
        var loss = new List<double>();
        var logZ = new List<double>();
        var attention = new List<double>();
        var trainer = new Trainer(model, optimizer, b =>
        {
            var logits = model.forward(b.Inputs).flatten(0, 1);
            var ce = nn.functional.cross_entropy(logits, b.Targets.flatten());
            var lse = logits.logsumexp(-1);
            double l = ce.cpu().ToDouble();
            bool outlier = arm.IsOutlier(b.Step);
            if (!outlier) spikes.Observe(l);
            if (!double.IsFinite(l)) return ce;   // the trainer stops before updating
            if (!outlier)
            {
                loss.Add(l);
                logZ.Add(lse.mean().cpu().ToDouble());
                attention.Add(model.Blocks.Max(x => x.LastMaxAttentionLogit));
            }
            return zWeight > 0 ? ce + zWeight * lse.square().mean() : ce;
        })
        {
            Schedule = arm.WarmupSteps > 0 ? Schedules.LinearWarmup(arm.Rate, arm.WarmupSteps) : Schedules.Constant(arm.Rate),
            Clipper = arm.Clipper?.Create(),
        };
        Instrument?.Invoke(new BenchRunContext(arm.Name, seed, model, trainer));
        var result = trainer.FitSteps(step =>
        {
            var tokens = Tokens(arm, seed, step).to(device);
            return (tokens.narrow(1, 0, Model.Context), tokens.narrow(1, 1, Model.Context));
        }, Steps);
        return new LmRun(arm.Name, arm.Variant.Name, arm.Rate, arm.Clipper?.Name ?? "none", seed, loss.ToArray(), logZ.ToArray(),
            attention.ToArray(), result.Status == TrainingStatus.Completed, spikes.Spikes);
    }
}
