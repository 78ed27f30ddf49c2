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
