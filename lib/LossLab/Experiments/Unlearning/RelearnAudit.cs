namespace LossLab.Experiments.Unlearning;

/// <summary>
/// The relearn audit (Golatkar et al. 2020, arXiv:1911.04933; "Are We Truly Forgetting?", 2025): full-batch SGD on
/// <see cref="Samples"/> forget samples (the first of D_f) mixed with <see cref="Samples"/> samples of each remaining
/// class drawn from D_r (<see cref="LossLab.Data.LongTail.Subsample(LossLab.Data.LabeledTensors, IReadOnlyList{int}, Random)"/>
/// on <see cref="Training.Seeds.Random"/>(seed, <see cref="Stream"/>)), until the held-out samples of the forgotten class
/// are at least <see cref="Threshold"/> % correct (<see cref="LossLab.Unlearning.RelearnTime"/>). Mixing in retain samples
/// keeps a model that predicts the class everywhere from counting as relearning it.
/// </summary>
/// <param name="Samples">Forget samples in the relearn set (and samples of each remaining class).</param>
/// <param name="LearningRate">Plain SGD step size.</param>
/// <param name="MaxSteps">The budget; a model that needs more has a relearn time of null (censored).</param>
/// <param name="Threshold">Accuracy (%) on the held-out samples of the forgotten class that counts as relearned.</param>
public sealed record RelearnAudit(int Samples = 20, double LearningRate = 0.05, int MaxSteps = 200, double Threshold = 90)
{
    /// <summary>The stream of <see cref="Training.Seeds.Random"/> that draws the retain part of the relearn set.</summary>
    public const long Stream = 6;

    internal void Validate()
    {
        if (Samples < 1) throw new ArgumentOutOfRangeException(nameof(Samples), Samples, "Samples must be ≥ 1.");
        Guard.Positive(LearningRate, nameof(LearningRate));
        if (MaxSteps < 0) throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, "MaxSteps must be ≥ 0.");
        Guard.InRange(Threshold, 0, 100, nameof(Threshold));
    }
}
