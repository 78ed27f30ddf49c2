using LossLab.Training;

namespace LossLab.Losses.Pairs;

/// <summary>P×K batches (Hermans, Beyer and Leibe, arXiv:1703.07737; pytorch-metric-learning's <c>MPerClassSampler</c>):
/// each batch holds P distinct classes drawn at random and K samples of each, drawn without replacement (with replacement
/// for a class with fewer than K samples). Seeded: the same seed gives the same batches.</summary>
public sealed class PkBatchSampler
{
    readonly long[][] byClass;
    readonly Random random;

    /// <param name="labels">The class label of every sample of the data set.</param>
    /// <param name="classesPerBatch">P, classes per batch (≤ number of distinct labels).</param>
    /// <param name="samplesPerClass">K, samples per class.</param>
    /// <param name="seed">Seed.</param>
    public PkBatchSampler(IReadOnlyList<long> labels, int classesPerBatch, int samplesPerClass, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(labels);
        byClass = labels.Select((label, index) => (label, index: (long)index)).GroupBy(x => x.label).OrderBy(g => g.Key)
            .Select(g => g.Select(x => x.index).ToArray()).ToArray();
        if (classesPerBatch < 1 || classesPerBatch > byClass.Length)
            throw new ArgumentOutOfRangeException(nameof(classesPerBatch), classesPerBatch,
                $"classesPerBatch must lie in [1, {byClass.Length}] (the number of distinct labels).");
        if (samplesPerClass < 1)
            throw new ArgumentOutOfRangeException(nameof(samplesPerClass), samplesPerClass, "samplesPerClass must be positive.");
        ClassesPerBatch = classesPerBatch;
        SamplesPerClass = samplesPerClass;
        SampleCount = labels.Count;
        random = Seeds.Legacy(seed);
    }

    /// <summary>P.</summary>
    public int ClassesPerBatch { get; }
    /// <summary>K.</summary>
    public int SamplesPerClass { get; }
    /// <summary>Samples in the data set.</summary>
    public int SampleCount { get; }
    /// <summary>P·K.</summary>
    public int BatchSize => ClassesPerBatch * SamplesPerClass;
    /// <summary>Batches per epoch: ⌊N / (P·K)⌋, at least 1.</summary>
    public int BatchesPerEpoch => Math.Max(1, SampleCount / BatchSize);

    /// <summary>The next batch: P·K sample indices, class by class.</summary>
    public long[] Next()
    {
        var batch = new long[BatchSize];
        var classes = Enumerable.Range(0, byClass.Length).ToArray();
        random.Shuffle(classes);
        for (int c = 0; c < ClassesPerBatch; c++)
        {
            var members = byClass[classes[c]];
            if (members.Length >= SamplesPerClass)
            {
                var copy = (long[])members.Clone();
                for (int i = 0; i < SamplesPerClass; i++)   // partial Fisher–Yates
                {
                    int j = random.Next(i, copy.Length);
                    (copy[i], copy[j]) = (copy[j], copy[i]);
                    batch[c * SamplesPerClass + i] = copy[i];
                }
            }
            else
                for (int i = 0; i < SamplesPerClass; i++)
                    batch[c * SamplesPerClass + i] = members[random.Next(members.Length)];
        }
        return batch;
    }

    /// <summary>One epoch: <see cref="BatchesPerEpoch"/> batches.</summary>
    public IEnumerable<long[]> Epoch()
    {
        for (int b = 0; b < BatchesPerEpoch; b++) yield return Next();
    }
}
