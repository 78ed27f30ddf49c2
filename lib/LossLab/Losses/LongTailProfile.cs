namespace LossLab.Losses;

/// <summary>
/// Per-class sample counts of the long-tailed benchmarks of Cao et al. (2019, arXiv:1906.07413, LDAM-DRW's
/// <c>imbalance_cifar.py</c>): the exponential profile n_i = ⌊n_max·ρ^(−i/(C−1))⌋ and the step profile (the first half of
/// the classes keep n_max, the rest get ⌊n_max/ρ⌋), with ρ = n_max/n_min the imbalance ratio.
/// </summary>
public static class LongTailProfile
{
    /// <summary>Exponential profile: n_i = ⌊n_max·(1/ρ)^(i/(C−1))⌋, i = 0 … C−1 (CIFAR-10-LT, ρ = 100: 5000, 2997, …, 50).</summary>
    /// <param name="maxCount">n_max, the count of class 0.</param>
    /// <param name="numClasses">C ≥ 1.</param>
    /// <param name="imbalanceRatio">ρ ≥ 1.</param>
    public static long[] Exponential(long maxCount, int numClasses, double imbalanceRatio)
    {
        Check(maxCount, numClasses, imbalanceRatio);
        var counts = new long[numClasses];
        double factor = 1 / imbalanceRatio;
        for (int i = 0; i < numClasses; i++)
        {
            double exponent = numClasses == 1 ? 0 : i / (numClasses - 1.0);
            counts[i] = Math.Max(1, (long)Math.Floor(maxCount * Math.Pow(factor, exponent)));
        }
        return counts;
    }

    /// <summary>Step profile: classes 0 … ⌊C/2⌋−1 get n_max, the others ⌊n_max/ρ⌋ (at least 1).</summary>
    public static long[] Step(long maxCount, int numClasses, double imbalanceRatio)
    {
        Check(maxCount, numClasses, imbalanceRatio);
        var counts = new long[numClasses];
        long minority = Math.Max(1, (long)Math.Floor(maxCount / imbalanceRatio));
        for (int i = 0; i < numClasses; i++) counts[i] = i < numClasses / 2 ? maxCount : minority;
        return counts;
    }

    static void Check(long maxCount, int numClasses, double imbalanceRatio)
    {
        if (maxCount < 1) throw new ArgumentOutOfRangeException(nameof(maxCount), maxCount, "maxCount must be at least 1.");
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "numClasses must be at least 1.");
        if (!(imbalanceRatio >= 1) || !double.IsFinite(imbalanceRatio))
            throw new ArgumentOutOfRangeException(nameof(imbalanceRatio), imbalanceRatio, "imbalanceRatio must be finite and at least 1.");
    }
}
