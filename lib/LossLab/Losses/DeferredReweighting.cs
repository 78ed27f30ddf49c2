namespace LossLab.Losses;

/// <summary>
/// Deferred re-weighting (DRW) of Cao et al. (2019, arXiv:1906.07413): train with unit class weights, then from epoch
/// E_drw on with class-balanced weights (1 − β)/(1 − β^{n_c}) normalised to sum C. A pure function epoch → weights; the
/// reference code indexes β ∈ {0, 0.9999} by ⌊epoch/160⌋ (β = 0 gives unit weights).
/// </summary>
/// <param name="classCounts">n_c per class.</param>
/// <param name="startEpoch">E_drw, the first re-weighted epoch (paper: 160 of 200).</param>
/// <param name="beta">β of the class-balanced weights (paper: 0.9999).</param>
public sealed class DeferredReweighting(IReadOnlyList<long> classCounts, int startEpoch = 160, double beta = 0.9999)
{
    readonly double[] before = ClassBalancedWeights.EffectiveNumber(classCounts, 0);
    readonly double[] after = ClassBalancedWeights.EffectiveNumber(classCounts, beta);

    /// <summary>E_drw.</summary>
    public int StartEpoch { get; } = startEpoch >= 0 ? startEpoch
        : throw new ArgumentOutOfRangeException(nameof(startEpoch), startEpoch, "startEpoch must be non-negative.");

    /// <summary>β.</summary>
    public double Beta { get; } = beta;

    /// <summary>The class weights for (0-based) <paramref name="epoch"/>: all ones before E_drw, class-balanced after.</summary>
    public double[] WeightsAt(int epoch)
    {
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "epoch must be non-negative.");
        return (double[])(epoch < StartEpoch ? before : after).Clone();
    }

    /// <summary>Whether re-weighting is on at <paramref name="epoch"/>.</summary>
    public bool IsActive(int epoch) => epoch >= StartEpoch;
}
