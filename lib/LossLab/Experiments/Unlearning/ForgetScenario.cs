using LossLab.Data;

namespace LossLab.Experiments.Unlearning;

/// <summary>
/// Which training samples are forgotten: the scenarios of SalUn's protocol (Fan et al. 2024, arXiv:2310.12508), random
/// data forgetting (a fraction of the training set drawn per seed) and class-wise forgetting (every training sample of
/// one class; the test set is then the held-out samples of the remaining classes, SalUn's class-wise TA), or an explicit
/// list of samples of the data set, which must all lie in every seed's training split.
/// </summary>
public sealed class ForgetScenario
{
    /// <summary>The stream of <see cref="Training.Seeds.Random"/> that draws a random forget set (stream 1 splits train/test).</summary>
    public const long ForgetStream = 2;

    readonly double fraction;
    readonly long[]? samples;

    ForgetScenario(string name, double fraction, int? forgetClass, long[]? samples)
    {
        Name = name;
        this.fraction = fraction;
        ForgetClass = forgetClass;
        this.samples = samples;
    }

    /// <summary>The scenario's name as tables show it ("random 10%", "class 3").</summary>
    public string Name { get; }

    /// <summary>The forgotten class of class-wise forgetting; null otherwise.</summary>
    public int? ForgetClass { get; }

    /// <summary>Random forgetting: round(<paramref name="fraction"/>·N_train) training samples drawn without replacement from
    /// <see cref="Training.Seeds.Random"/>(seed, <see cref="ForgetStream"/>) (<see cref="LossLab.Unlearning.ForgetSplit.Random"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is not in (0, 1).</exception>
    public static ForgetScenario Random(double fraction)
    {
        if (!(fraction > 0 && fraction < 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "fraction must lie in (0, 1).");
        return new($"random {100 * fraction:0.##}%", fraction, null, null);
    }

    /// <summary>Class-wise forgetting of <paramref name="forgetClass"/> (<see cref="LossLab.Unlearning.ForgetSplit.Class"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="forgetClass"/> is negative.</exception>
    public static ForgetScenario Class(int forgetClass)
    {
        if (forgetClass < 0) throw new ArgumentOutOfRangeException(nameof(forgetClass), forgetClass, "forgetClass must be ≥ 0.");
        return new($"class {forgetClass}", 0, forgetClass, null);
    }

    /// <summary>Forgets the samples of the bench's data set at <paramref name="indices"/> (positions in the whole data set,
    /// before the train/test split); every seed's training split must contain them all.</summary>
    /// <exception cref="ArgumentException">No index, or an index given twice.</exception>
    public static ForgetScenario Samples(IReadOnlyList<long> indices, string name = "samples")
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (indices.Count == 0) throw new ArgumentException("The forget set is empty: give at least one sample index.", nameof(indices));
        var repeated = indices.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (repeated.Length > 0) throw new ArgumentException($"indices must be distinct; repeated: {string.Join(", ", repeated)}.", nameof(indices));
        return new(name, 0, null, indices.ToArray());
    }

    /// <summary>The forgotten positions within the training split (ascending): <paramref name="trainIndices"/> are the
    /// positions in the data set of the training samples, <paramref name="dataCount"/> the data set's size.</summary>
    /// <exception cref="ArgumentException">The forget set is empty, not a subset of the training split, or leaves no retain sample.</exception>
    internal long[] ForgetPositions(LabeledTensors train, IReadOnlyList<long> trainIndices, long dataCount, int seed)
    {
        long[] positions;
        if (ForgetClass is int c)
        {
            var labels = train.Labels.cpu().to_type(TorchSharp.torch.ScalarType.Int64).data<long>().ToArray();
            positions = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).Select(i => (long)i).ToArray();
            if (positions.Length == 0)
                throw new ArgumentException($"The forget set of {Name} is empty for seed {seed}: no training sample has label {c} (labels 0 to {labels.DefaultIfEmpty(-1).Max()}).");
        }
        else if (samples is not null)
        {
            var outOfRange = samples.Where(i => i < 0 || i >= dataCount).ToArray();
            if (outOfRange.Length > 0)
                throw new ArgumentOutOfRangeException(nameof(samples), $"forget sample indices must lie in [0, {dataCount}), the data set; got {string.Join(", ", outOfRange.Take(10))}.");
            var where = new Dictionary<long, long>();
            for (int p = 0; p < trainIndices.Count; p++) where[trainIndices[p]] = p;
            var notInTrain = samples.Where(i => !where.ContainsKey(i)).ToArray();
            if (notInTrain.Length > 0)
                throw new ArgumentException($"The forget set must be a subset of the training set: {notInTrain.Length} of its {samples.Length} samples " +
                    $"(data indices {string.Join(", ", notInTrain.Take(10))}{(notInTrain.Length > 10 ? ", …" : "")}) lie in seed {seed}'s held-out split.");
            positions = samples.Select(i => where[i]).Order().ToArray();
        }
        else
        {
            positions = LossLab.Unlearning.ForgetSplit.RandomIndices(train.Count, fraction, Training.Seeds.Random(seed, ForgetStream)).Forget;
            if (positions.Length == 0)
                throw new ArgumentException($"The forget set of {Name} is empty for seed {seed}: {fraction} of {train.Count} training samples rounds to 0.");
        }
        if (positions.Length == train.Count)
            throw new ArgumentException($"{Name} forgets all {train.Count} training samples of seed {seed}: no retain set is left.");
        return positions;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
