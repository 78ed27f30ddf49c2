using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// The standard unlearning objectives with their papers' defaults, as <see cref="ForgetRetainObjective"/>s. Vocabulary
/// (Fan et al. 2024, SalUn, arXiv:2310.12508; Kurmanji et al. 2023, SCRUB, arXiv:2302.09880): D_f the forget set, D_r the
/// retain set.
/// </summary>
public static class UnlearningObjectives
{
    /// <summary>FT: fine-tune on the retain set only, L = CE(D_r) (Warnecke et al. 2021; SalUn's FT baseline).</summary>
    public static ForgetRetainObjective FineTune() => new("FT", null, 0, 1);

    /// <summary>Retrain: the oracle; the same objective as <see cref="FineTune"/>, applied to a freshly initialised model
    /// for the original training budget (see <see cref="Unlearner.Retrain"/>).</summary>
    public static ForgetRetainObjective Retrain() => new("Retrain", null, 0, 1);

    /// <summary>GA: gradient ascent on the forget set, L = −CE(D_f).</summary>
    public static ForgetRetainObjective GradientAscent() => new("GA", new NegativeCrossEntropy(), 1, 0);

    /// <summary>GradDiff: L = −CE(D_f) + λ·CE(D_r) (open-unlearning's default λ = 1).</summary>
    public static ForgetRetainObjective GradDiff(double lambda = 1.0) => new("GradDiff", new NegativeCrossEntropy(), 1, Guard.Positive(lambda, nameof(lambda)));

    /// <summary>NegGrad+ (Kurmanji et al. 2023): L = β·CE(D_r) − (1 − β)·CE(D_f), β ∈ (0, 1) (default 0.9).</summary>
    public static ForgetRetainObjective NegGradPlus(double beta = 0.9)
    {
        if (!(beta > 0 && beta < 1)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must lie in (0, 1).");
        return new("NegGrad+", new NegativeCrossEntropy(), 1 - beta, beta);
    }

    /// <summary>RL: cross-entropy to uniformly random labels on D_f plus CE on D_r (SalUn's RL; SalUn is RL with a
    /// saliency mask, see <see cref="SalUn"/>). As SalUn's <c>RL.py</c>, the labels are drawn over all C classes and
    /// re-drawn for every forget batch, from a generator seeded by <paramref name="seed"/>; <paramref name="fixedPerSample"/>
    /// (one label per forget sample for the run) and <paramref name="excludeTrueLabel"/> are opt-in departures (see
    /// <see cref="RandomLabelCrossEntropy"/>).</summary>
    public static ForgetRetainObjective RandomLabels(int numClasses, long seed = 0, double retainWeight = 1.0,
        bool excludeTrueLabel = false, bool fixedPerSample = false) =>
        new("RL", new RandomLabelCrossEntropy(numClasses, seed, excludeTrueLabel, fixedPerSample), 1, retainWeight);

    /// <summary>IHL: the inverted hinge loss on D_f, optionally plus retain CE (LoKU, arXiv:2408.06621).</summary>
    public static ForgetRetainObjective InvertedHinge(double retainWeight = 0.0) =>
        new(retainWeight > 0 ? "IHL+CE" : "IHL", new Unlearning.InvertedHinge(), 1, retainWeight);

    /// <summary>FLAT: the f-divergence objective on D_f only (arXiv:2410.11143); template null = uniform.</summary>
    public static ForgetRetainObjective Flat(FDivergence divergence = FDivergence.KullbackLeibler, double[]? template = null) =>
        new("FLAT", new FlatDivergence(divergence, template), 1, 0);

    /// <summary>Any objective's forget term re-weighted by dynamic LoReUn (temperature T), other settings unchanged.</summary>
    public static ForgetRetainObjective WithLoReUn(ForgetRetainObjective objective, double temperature = 1.0)
    {
        ArgumentNullException.ThrowIfNull(objective);
        if (objective.Forget is null) throw new ArgumentException($"{objective.Name} has no forget term to re-weight.", nameof(objective));
        return new(objective.Name + "+LoReUn", new LoReUnWeighting(objective.Forget, temperature), objective.ForgetWeight, objective.RetainWeight);
    }

    /// <summary>Any objective's forget term re-weighted by static LoReUn weights computed once on D_f at the original
    /// model (see <see cref="LoReUnWeighting.Static"/>; dispose the term after the run).</summary>
    public static ForgetRetainObjective WithStaticLoReUn(ForgetRetainObjective objective, nn.Module<Tensor, Tensor> model,
        LossLab.Data.LabeledTensors forget, double temperature = 1.0)
    {
        ArgumentNullException.ThrowIfNull(objective);
        if (objective.Forget is null) throw new ArgumentException($"{objective.Name} has no forget term to re-weight.", nameof(objective));
        return new(objective.Name + "+LoReUn-static", LoReUnWeighting.Static(objective.Forget, model, forget, temperature),
            objective.ForgetWeight, objective.RetainWeight);
    }
}
