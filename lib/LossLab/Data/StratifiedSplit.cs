namespace LossLab.Data;

/// <summary>
/// A train/test split that keeps each class's proportion: class c with n_c samples sends round(n_c · testFraction)
/// (half away from zero) of them, drawn uniformly without replacement from an explicit <see cref="Random"/>, to the test
/// set and the rest to the training set. Both sets keep the original sample order.
/// </summary>
public static class StratifiedSplit
{
    /// <summary>The training and test indices of a stratified split of <paramref name="labels"/>, each ascending.</summary>
    /// <param name="labels">Class indices in [0, C).</param>
    /// <param name="testFraction">The share of each class sent to the test set, in (0, 1).</param>
    /// <param name="rng">The source of randomness (same state → same split).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is outside (0, 1), or a label is negative.</exception>
    public static (long[] Train, long[] Test) Indices(ReadOnlySpan<long> labels, double testFraction, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "testFraction must lie in (0, 1).");
        var byClass = RandomSampling.IndicesByClass(labels, RandomSampling.NumClasses(labels), nameof(labels));
        var train = new List<long>();
        var test = new List<long>();
        foreach (var members in byClass)
        {
            var shuffled = members.ToArray();
            RandomSampling.Shuffle(rng, shuffled);
            int nTest = (int)Math.Round(shuffled.Length * testFraction, MidpointRounding.AwayFromZero);
            test.AddRange(shuffled.Take(nTest));
            train.AddRange(shuffled.Skip(nTest));
        }
        train.Sort();
        test.Sort();
        return (train.ToArray(), test.ToArray());
    }

    /// <summary>A stratified split of <paramref name="data"/> into two new datasets (copies); see <see cref="Indices"/>.</summary>
    public static (LabeledTensors Train, LabeledTensors Test) Split(LabeledTensors data, double testFraction, Random rng)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (train, test) = Indices(RandomSampling.LabelsOf(data, nameof(data)), testFraction, rng);
        return (data.Subset((IReadOnlyList<long>)train), data.Subset((IReadOnlyList<long>)test));
    }
}
