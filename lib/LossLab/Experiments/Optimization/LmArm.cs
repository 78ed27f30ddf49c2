using LossLab.Training;

namespace LossLab.Experiments.Optimization;

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
