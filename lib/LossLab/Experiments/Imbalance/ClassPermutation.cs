using LossLab.Training;
using static TorchSharp.torch;
using LabeledTensors = LossLab.Data.LabeledTensors;

namespace LossLab.Experiments.Imbalance;

/// <summary>
/// A seeded assignment of data classes (e.g. glyph shapes) to the positions of a long-tail profile, so that the head class
/// is not always the same shape: position k of the profile (its k-th class count) is drawn from source class
/// <c>π[k]</c>. Used to separate a class's own difficulty from its size when effects are measured against class size.
/// </summary>
public static class ClassPermutation
{
    /// <summary>A uniformly random permutation π of 0 … C−1 from <paramref name="seed"/> (Fisher–Yates on
    /// <see cref="Seeds.Random"/>); the same seed always gives the same π.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one class.</exception>
    public static int[] ForSeed(int numClasses, int seed)
    {
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "numClasses must be at least 1.");
        var rng = Seeds.Random(seed, stream: 0x5EED_C1A5);
        var p = Enumerable.Range(0, numClasses).ToArray();
        LossLab.Data.RandomSampling.Shuffle(rng, p);
        return p;
    }

    /// <summary>The counts per source class: source class π[k] gets <paramref name="counts"/>[k].</summary>
    /// <exception cref="ArgumentException">π is not a permutation of 0 … C−1 with C = the number of counts.</exception>
    public static int[] SourceCounts(IReadOnlyList<int> counts, IReadOnlyList<int> permutation)
    {
        ArgumentNullException.ThrowIfNull(counts);
        Check(permutation, counts.Count);
        var result = new int[counts.Count];
        for (int k = 0; k < counts.Count; k++) result[permutation[k]] = counts[k];
        return result;
    }

    /// <summary>The same samples with labels moved from source classes to profile positions: a sample of source class
    /// π[k] gets label k. Features are shared with <paramref name="data"/> (not copied).</summary>
    /// <exception cref="ArgumentException">π is not a permutation, or a label lies outside 0 … C−1.</exception>
    public static LabeledTensors Relabel(LabeledTensors data, IReadOnlyList<int> permutation)
    {
        ArgumentNullException.ThrowIfNull(data);
        Check(permutation, permutation?.Count ?? 0);
        var inverse = new long[permutation!.Count];
        for (int k = 0; k < inverse.Length; k++) inverse[permutation[k]] = k;
        var labels = data.Labels.cpu().data<long>().ToArray();
        var mapped = new long[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= inverse.Length)
                throw new ArgumentException($"label {labels[i]} at sample {i} lies outside 0 … {inverse.Length - 1}.", nameof(data));
            mapped[i] = inverse[labels[i]];
        }
        return new LabeledTensors(data.Features, tensor(mapped).to(data.Labels.device));
    }

    static void Check(IReadOnlyList<int>? permutation, int n)
    {
        ArgumentNullException.ThrowIfNull(permutation);
        if (permutation.Count != n || n < 1 || permutation.Distinct().Count() != n || permutation.Any(v => v < 0 || v >= n))
            throw new ArgumentException($"the permutation must hold each of 0 … {n - 1} once; got [{string.Join(", ", permutation)}].", nameof(permutation));
    }
}

/// <summary>
/// Runs a <see cref="LongTailBench"/> whose data depend on the seed (e.g. a per-seed <see cref="ClassPermutation"/>): the
/// bench of each seed trains every method with that seed, and the runs are gathered into one comparison, paired by seed as
/// <see cref="LongTailBench.Run"/>'s are.
/// </summary>
public static class PerSeedLongTail
{
    /// <summary>Every method with every seed, each seed on the bench <paramref name="benchOf"/>(seed).</summary>
    /// <exception cref="ArgumentException">No methods or seeds.</exception>
    public static MethodComparison<LongTailRun> Run(Func<int, LongTailBench> benchOf, IReadOnlyList<LongTailMethod> methods, IReadOnlyList<int> seeds,
        Action<(int Done, int Total, string Method, int Seed, double Seconds)>? onRun = null)
    {
        ArgumentNullException.ThrowIfNull(benchOf);
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(seeds);
        if (methods.Count == 0) throw new ArgumentException("at least one method is needed; methods is empty.", nameof(methods));
        if (seeds.Count == 0) throw new ArgumentException("at least one seed is needed; seeds is empty.", nameof(seeds));
        var comparison = new MethodComparison<LongTailRun>(methods.Select(m => m.Name).ToArray(), seeds);
        MethodComparison<LongTailRun>? ofSeed = null;
        int current = int.MinValue;
        comparison.Run((name, seed) =>
        {
            if (ofSeed is null || seed != current)
            {
                var bench = benchOf(seed) ?? throw new InvalidOperationException($"benchOf({seed}) returned null.");
                ofSeed = bench.Run(methods, [seed]);
                current = seed;
            }
            return ofSeed[name, seed];
        }, onRun);
        return comparison;
    }
}
