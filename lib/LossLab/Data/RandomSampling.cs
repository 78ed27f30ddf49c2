using static TorchSharp.torch;

namespace LossLab.Data;

/// <summary>Small sampling helpers over an explicit <see cref="Random"/> (never a shared one).</summary>
internal static class RandomSampling
{
    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates, drawing from <paramref name="rng"/>).</summary>
    public static void Shuffle<T>(Random rng, T[] items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A standard normal draw (Box–Muller, one value per call).</summary>
    public static double Normal(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();   // (0, 1]: log is finite
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>The labels of a dataset as a managed array (they must be 1-D integers).</summary>
    public static long[] LabelsOf(LabeledTensors data, string name)
    {
        Guard.Rank(data.Labels, 1, name + ".Labels");
        Guard.Labels(data.Labels, name + ".Labels");
        using var cpu = data.Labels.to_type(ScalarType.Int64).cpu();
        return cpu.data<long>().ToArray();
    }

    /// <summary>For each class 0 … C−1 the indices of its samples, in ascending order.</summary>
    public static List<long>[] IndicesByClass(ReadOnlySpan<long> labels, int numClasses, string name)
    {
        var byClass = new List<long>[numClasses];
        for (int c = 0; c < numClasses; c++) byClass[c] = [];
        for (int i = 0; i < labels.Length; i++)
        {
            long y = labels[i];
            if (y < 0 || y >= numClasses)
                throw new ArgumentOutOfRangeException(name, $"{name} must lie in [0, {numClasses}); found {y} at index {i}.");
            byClass[y].Add(i);
        }
        return byClass;
    }

    /// <summary>Max label + 1 (0 for no labels).</summary>
    public static int NumClasses(ReadOnlySpan<long> labels)
    {
        long max = -1;
        foreach (var y in labels) max = Math.Max(max, y);
        return (int)(max + 1);
    }
}
