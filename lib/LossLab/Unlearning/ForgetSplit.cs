using LossLab.Data;

namespace LossLab.Unlearning;

/// <summary>
/// The two forgetting scenarios of SalUn's protocol (Fan et al. 2024, arXiv:2310.12508): random data forgetting (a
/// uniformly drawn fraction of the training set, 10% by default) and class-wise forgetting (every sample of one class).
/// Indices are ascending; the datasets are copies (dispose them).
/// </summary>
public static class ForgetSplit
{
    /// <summary>Forget and retain indices of random forgetting: round(fraction·N) samples drawn without replacement.</summary>
    public static (long[] Forget, long[] Retain) RandomIndices(long count, double fraction, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be ≥ 1.");
        if (!(fraction > 0 && fraction < 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "fraction must lie in (0, 1).");
        var all = Enumerable.Range(0, checked((int)count)).Select(i => (long)i).ToArray();
        RandomSampling.Shuffle(rng, all);
        int k = (int)Math.Round(count * fraction, MidpointRounding.AwayFromZero);
        var forget = all.Take(k).Order().ToArray();
        var retain = all.Skip(k).Order().ToArray();
        return (forget, retain);
    }

    /// <summary>Random forgetting of <paramref name="fraction"/> of <paramref name="data"/>.</summary>
    public static (LabeledTensors Forget, LabeledTensors Retain) Random(LabeledTensors data, double fraction, Random rng)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (f, r) = RandomIndices(data.Count, fraction, rng);
        return (data.Subset((IReadOnlyList<long>)f), data.Subset((IReadOnlyList<long>)r));
    }

    /// <summary>Class-wise forgetting: every sample of class <paramref name="forgetClass"/> is forgotten.</summary>
    public static (LabeledTensors Forget, LabeledTensors Retain) Class(LabeledTensors data, int forgetClass)
    {
        ArgumentNullException.ThrowIfNull(data);
        var labels = RandomSampling.LabelsOf(data, nameof(data));
        if (!labels.Contains(forgetClass))
            throw new ArgumentOutOfRangeException(nameof(forgetClass), forgetClass, $"forgetClass must be a label present in data (labels 0 to {labels.Max()}).");
        var f = Enumerable.Range(0, labels.Length).Where(i => labels[i] == forgetClass).Select(i => (long)i).ToArray();
        var r = Enumerable.Range(0, labels.Length).Where(i => labels[i] != forgetClass).Select(i => (long)i).ToArray();
        return (data.Subset((IReadOnlyList<long>)f), data.Subset((IReadOnlyList<long>)r));
    }
}
