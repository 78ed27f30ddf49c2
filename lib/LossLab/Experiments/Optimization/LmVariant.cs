using LossLab.Training;

namespace LossLab.Experiments.Optimization;

/// <summary>A Transformer variant of Wortsman et al. (2023, "Small-scale proxies for large-scale Transformer training
/// instabilities", arXiv:2309.14322): with or without qk-layernorm (Dehghani et al., 2023, arXiv:2302.05442), with or
/// without the z-loss λ_z·(log Z)² (PaLM, Chowdhery et al., 2022, arXiv:2204.02311: λ_z = 10⁻⁴).</summary>
/// <param name="Name">The variant's name.</param>
/// <param name="QkNorm">Layer-normalise queries and keys.</param>
/// <param name="ZLossWeight">λ_z ≥ 0 (0: no z-loss).</param>
public sealed record LmVariant(string Name, bool QkNorm, double ZLossWeight)
{
    /// <summary>The name, checked.</summary>
    public string Name { get; } = !string.IsNullOrWhiteSpace(Name) ? Name : throw new ArgumentException("a variant needs a name.", nameof(Name));

    /// <summary>λ_z, checked.</summary>
    public double ZLossWeight { get; } = ZLossWeight >= 0 && double.IsFinite(ZLossWeight) ? ZLossWeight
        : throw new ArgumentOutOfRangeException(nameof(ZLossWeight), ZLossWeight, "the z-loss weight λ_z must be non-negative and finite.");

    /// <summary>The plain pre-LN Transformer.</summary>
    public static LmVariant Baseline { get; } = new("baseline", false, 0);

    /// <summary>qk-layernorm alone.</summary>
    public static LmVariant WithQkNorm { get; } = new("qk-norm", true, 0);

    /// <summary>The z-loss alone, with weight <paramref name="weight"/>.</summary>
    public static LmVariant WithZLoss(double weight = 1e-4) => new("z-loss", false, weight);

    /// <summary>qk-layernorm and the z-loss with weight <paramref name="weight"/>.</summary>
    public static LmVariant WithQkNormAndZLoss(double weight = 1e-4) => new("qk-norm + z-loss", true, weight);

    /// <summary>This variant trained at <paramref name="rate"/> after a linear warm-up of <paramref name="warmupSteps"/>
    /// steps (0: constant rate).</summary>
    public LmArm At(double rate, int warmupSteps = 0) => new(this, rate, warmupSteps);
}

/// <summary>A gradient clipper as part of an arm: its name and a factory (each run gets a fresh clipper, since clippers
/// such as AdaGC keep state).</summary>
/// <param name="Name">The clipping rule's name ("global", "AdaGC").</param>
/// <param name="Create">Builds a fresh clipper.</param>
public sealed record ClipperArm(string Name, Func<IGradientClipper> Create);

/// <summary>One arm of <see cref="InstabilityBench"/>: a variant at a learning rate, with an optional clipper and optional
/// outlier batches (uniformly random tokens every <see cref="OutlierEvery"/>-th step from <see cref="OutlierAfter"/> on,
/// to provoke loss spikes; their losses are not recorded).</summary>
public sealed record LmArm
{
    /// <summary><paramref name="variant"/> at <paramref name="rate"/> with <paramref name="warmupSteps"/> of linear warm-up.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not positive and finite, or the warm-up is negative.</exception>
    public LmArm(LmVariant variant, double rate, int warmupSteps = 0)
    {
        ArgumentNullException.ThrowIfNull(variant);
        Variant = variant;
        Rate = rate > 0 && double.IsFinite(rate) ? rate
            : throw new ArgumentOutOfRangeException(nameof(rate), rate, $"the learning rate of '{variant.Name}' must be positive and finite.");
        WarmupSteps = warmupSteps >= 0 ? warmupSteps
            : throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, "warmupSteps must be non-negative.");
    }

    /// <summary>The model and objective.</summary>
    public LmVariant Variant { get; }
    /// <summary>The peak learning rate.</summary>
    public double Rate { get; }
    /// <summary>Linear warm-up steps (0: constant rate).</summary>
    public int WarmupSteps { get; }
    /// <summary>The gradient clipper (null: none).</summary>
    public ClipperArm? Clipper { get; init; }
    /// <summary>Every this many steps a batch of uniformly random tokens (0: none).</summary>
    public int OutlierEvery { get; init; }
    /// <summary>The first step at which outlier batches may come.</summary>
    public int OutlierAfter { get; init; }

    /// <summary>The arm's name: variant, rate and clipping.</summary>
    public string Name => $"{Variant.Name}, η = {Rate}" + (Clipper is null ? "" : $", {Clipper.Name} clipping");

    /// <summary>This arm clipped by <paramref name="name"/>'s clipper from <paramref name="create"/>.</summary>
    public LmArm ClippedBy(string name, Func<IGradientClipper> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(create);
        return this with { Clipper = new ClipperArm(name, create) };
    }

    /// <summary>This arm with an outlier batch at every step t ≥ <paramref name="after"/> with t mod <paramref name="every"/>
    /// = <paramref name="every"/> − 1 (0: none).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative period or start.</exception>
    public LmArm WithOutliers(int every, int after = 0)
    {
        if (every < 0) throw new ArgumentOutOfRangeException(nameof(every), every, "the outlier period must be non-negative (0: none).");
        if (after < 0) throw new ArgumentOutOfRangeException(nameof(after), after, "the first outlier step must be non-negative.");
        return this with { OutlierEvery = every, OutlierAfter = after };
    }

    /// <summary>Whether the batch of 0-based <paramref name="step"/> is an outlier batch.</summary>
    public bool IsOutlier(long step) => OutlierEvery > 0 && step >= OutlierAfter && step % OutlierEvery == OutlierEvery - 1;
}
