namespace LossLab.Data;

/// <summary>
/// Long-tailed subsets as in LDAM-DRW (Cao, Wei, Gaidon, Arechiga, Ma, NeurIPS 2019, arXiv:1906.07413) and its
/// <c>imbalance_cifar.py</c>: with imbalance ratio ρ = n_max/n_min, the exponential profile keeps
/// n_c = int(n_max · (1/ρ)^(c/(C−1))) samples of class c (truncated toward zero, as Python's <c>int</c> does), and the
/// step profile keeps n_max for the first ⌊C/2⌋ classes and int(n_max/ρ) for the rest. For CIFAR-10 (n_max = 5000, ρ = 100)
/// the exponential counts are 5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50 (12,406 images).
/// </summary>
/// <remarks>Class 0 is the head and class C−1 the tail, as in the reference code. The reference code's step profile
/// drops a class when C is odd; here the last ⌈C/2⌉ classes form the tail.</remarks>
public static class LongTail
{
    /// <summary>The per-class sample counts of a long-tailed profile.</summary>
    /// <param name="numClasses">C ≥ 1.</param>
    /// <param name="maxCount">n_max ≥ 1, the head class's count.</param>
    /// <param name="imbalanceRatio">ρ = n_max/n_min ≥ 1 (LDAM-DRW's <c>imb_factor</c> is 1/ρ).</param>
    /// <param name="profile">Exponential or step.</param>
    public static int[] ClassCounts(int numClasses, int maxCount, double imbalanceRatio, ImbalanceProfile profile = ImbalanceProfile.Exponential)
    {
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "numClasses must be at least 1.");
        if (maxCount < 1) throw new ArgumentOutOfRangeException(nameof(maxCount), maxCount, "maxCount must be at least 1.");
        if (!(imbalanceRatio >= 1) || !double.IsFinite(imbalanceRatio))
            throw new ArgumentOutOfRangeException(nameof(imbalanceRatio), imbalanceRatio, "imbalanceRatio ρ = n_max/n_min must be finite and at least 1.");
        double factor = 1.0 / imbalanceRatio;
        var counts = new int[numClasses];
        for (int c = 0; c < numClasses; c++)
        {
            counts[c] = profile switch
            {
                ImbalanceProfile.Exponential => numClasses == 1 ? maxCount : (int)(maxCount * Math.Pow(factor, c / (numClasses - 1.0))),
                ImbalanceProfile.Step => c < numClasses / 2 ? maxCount : (int)(maxCount * factor),
                _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unknown imbalance profile."),
            };
        }
        return counts;
    }

    /// <summary>
    /// The indices (ascending) of a subset keeping <paramref name="classCounts"/>[c] samples of class c, drawn uniformly
    /// without replacement from an explicit <see cref="Random"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A class has fewer samples than requested, or the counts do not cover every class.</exception>
    public static long[] SubsampleIndices(ReadOnlySpan<long> labels, IReadOnlyList<int> classCounts, Random rng)
    {
        ArgumentNullException.ThrowIfNull(classCounts);
        ArgumentNullException.ThrowIfNull(rng);
        int numClasses = RandomSampling.NumClasses(labels);
        if (classCounts.Count < numClasses)
            throw new ArgumentException($"classCounts has {classCounts.Count} entries but the labels have {numClasses} classes.", nameof(classCounts));
        var byClass = RandomSampling.IndicesByClass(labels, classCounts.Count, nameof(labels));
        var kept = new List<long>();
        for (int c = 0; c < classCounts.Count; c++)
        {
            if (classCounts[c] < 0)
                throw new ArgumentOutOfRangeException(nameof(classCounts), $"classCounts[{c}] is {classCounts[c]}; counts must be non-negative.");
            if (classCounts[c] > byClass[c].Count)
                throw new ArgumentException($"classCounts[{c}] asks for {classCounts[c]} samples but class {c} has only {byClass[c].Count}.", nameof(classCounts));
            var members = byClass[c].ToArray();
            RandomSampling.Shuffle(rng, members);
            kept.AddRange(members.Take(classCounts[c]));
        }
        kept.Sort();
        return kept.ToArray();
    }

    /// <summary>A copy of <paramref name="data"/> keeping <paramref name="classCounts"/>[c] random samples of class c.</summary>
    public static LabeledTensors Subsample(LabeledTensors data, IReadOnlyList<int> classCounts, Random rng)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.Subset((IReadOnlyList<long>)SubsampleIndices(RandomSampling.LabelsOf(data, nameof(data)), classCounts, rng));
    }

    /// <summary>
    /// A long-tailed copy of <paramref name="data"/>: counts from <see cref="ClassCounts"/> with n_max =
    /// <paramref name="maxCount"/> (default: the smallest class's size, so every class can supply its share), then
    /// <see cref="Subsample(LabeledTensors, IReadOnlyList{int}, Random)"/>.
    /// </summary>
    public static LabeledTensors Subsample(LabeledTensors data, double imbalanceRatio, ImbalanceProfile profile, Random rng, int? maxCount = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var labels = RandomSampling.LabelsOf(data, nameof(data));
        int numClasses = RandomSampling.NumClasses(labels);
        if (numClasses == 0) throw new ArgumentException("data holds no samples.", nameof(data));
        var sizes = RandomSampling.IndicesByClass(labels, numClasses, nameof(data)).Select(m => m.Count).ToArray();
        int nMax = maxCount ?? sizes.Min();
        var counts = ClassCounts(numClasses, nMax, imbalanceRatio, profile);
        return data.Subset((IReadOnlyList<long>)SubsampleIndices(labels, counts, rng));
    }
}
