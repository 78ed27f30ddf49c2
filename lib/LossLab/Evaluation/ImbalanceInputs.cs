using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Evaluation;

/// <summary>Conversions and checks shared by the imbalance and calibration metrics: tensors to float64 / int64 arrays.</summary>
internal static class ImbalanceInputs
{
    public static long[] Labels(Tensor labels, string name)
    {
        Guard.Rank(labels, 1, name);
        Guard.Labels(labels, name);
        if (labels.numel() == 0) return Array.Empty<long>();
        using var l = labels.detach().to(ScalarType.Int64).cpu().contiguous();
        return l.data<long>().ToArray();
    }

    public static double[] Values(Tensor values, string name)
    {
        Guard.Floating(values, name);
        if (values.numel() == 0) return Array.Empty<double>();
        using var v = values.detach().to(ScalarType.Float64).cpu().contiguous();
        return v.data<double>().ToArray();
    }

    public static void CheckRange(IReadOnlyList<long> values, int numClasses, string name)
    {
        foreach (var v in values)
            if (v < 0 || v >= numClasses)
                throw new ArgumentOutOfRangeException(name, $"{name} must lie in [0, {numClasses}); got {v}.");
    }

    public static void SameLength<T, U>(IReadOnlyList<T> a, IReadOnlyList<U> b, string aName, string bName)
    {
        ArgumentNullException.ThrowIfNull(a, aName);
        ArgumentNullException.ThrowIfNull(b, bName);
        if (a.Count != b.Count)
            throw new ArgumentException($"{bName} must have one entry per entry of {aName}: {aName} has {a.Count}, {bName} has {b.Count}.", bName);
    }
}
