using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Reductions and argument checks shared by the classification losses of <see cref="LossLab.Losses"/>.
/// A per-sample weight s_i multiplies sample i's loss; <see cref="nn.Reduction.Mean"/> divides the weighted sum by the
/// total weight (Σ s_i, times the class weight of the label where the loss normalises by it, as torch's weighted
/// cross-entropy does). A zero total weight, including an empty batch, gives 0 with a zero gradient, never NaN.
/// </summary>
internal static class LossReduction
{
    /// <summary>Reduces per-sample losses <paramref name="perSample"/> (N) with optional weights s (N) and an optional
    /// per-sample normaliser n (N): None → s·ℓ; Sum → Σ s·ℓ; Mean → Σ s·ℓ / Σ s·n (n = 1 when absent).</summary>
    public static Tensor Reduce(Tensor perSample, nn.Reduction reduction, Tensor? sampleWeights, Tensor? normaliser = null)
    {
        CheckSampleWeights(sampleWeights, perSample.shape[0]);
        var weighted = sampleWeights is null ? perSample : perSample * sampleWeights;
        switch (reduction)
        {
            case nn.Reduction.None: return weighted;
            case nn.Reduction.Sum: return weighted.sum();
            case nn.Reduction.Mean:
                Tensor total;
                if (normaliser is null && sampleWeights is null)
                    total = torch.tensor((double)perSample.numel(), perSample.dtype, perSample.device);
                else if (normaliser is null) total = sampleWeights!.sum();
                else if (sampleWeights is null) total = normaliser.sum();
                else total = (normaliser * sampleWeights).sum();
                var safe = torch.where(total > 0, total, torch.ones_like(total));
                return weighted.sum() / safe;
            default:
                throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown reduction.");
        }
    }

    /// <summary>Reduces element-wise losses (N, …) whose first dimension indexes samples: None → s_i·ℓ_ij;
    /// Sum → Σ_i s_i Σ_j ℓ_ij; Mean → Σ_i s_i Σ_j ℓ_ij / (M·Σ_i s_i), M elements per sample (the plain element mean when s = 1).</summary>
    public static Tensor ReduceElementwise(Tensor elementwise, nn.Reduction reduction, Tensor? sampleWeights)
    {
        CheckSampleWeights(sampleWeights, elementwise.shape[0]);
        if (sampleWeights is null)
        {
            return reduction switch
            {
                nn.Reduction.None => elementwise,
                nn.Reduction.Sum => elementwise.sum(),
                nn.Reduction.Mean => elementwise.numel() == 0 ? elementwise.sum() : elementwise.mean(),
                _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown reduction."),
            };
        }
        var shape = new long[elementwise.dim()];
        shape[0] = elementwise.shape[0];
        for (int d = 1; d < shape.Length; d++) shape[d] = 1;
        var s = sampleWeights.reshape(shape);
        if (reduction == nn.Reduction.None) return elementwise * s;
        var perSample = elementwise.dim() == 1 ? elementwise : elementwise.flatten(1).sum(1);
        if (reduction == nn.Reduction.Sum) return (perSample * sampleWeights).sum();
        long m = elementwise.shape[0] == 0 ? 1 : Math.Max(1, elementwise.numel() / elementwise.shape[0]);
        return Reduce(perSample / m, nn.Reduction.Mean, sampleWeights);
    }

    /// <summary>Throws unless <paramref name="sampleWeights"/> is null or a floating (N) tensor.</summary>
    public static void CheckSampleWeights(Tensor? sampleWeights, long n, string name = "sampleWeights")
    {
        if (sampleWeights is null) return;
        Guard.Rank(sampleWeights, 1, name);
        Guard.Floating(sampleWeights, name);
        if (sampleWeights.shape[0] != n)
            throw new ArgumentException($"{name} must hold one weight per sample ({n}); got shape {Guard.Shape(sampleWeights)}.", name);
    }

    /// <summary>Throws unless <paramref name="classWeights"/> is null or a floating (C) tensor.</summary>
    public static void CheckClassWeights(Tensor? classWeights, long numClasses, string name = "classWeights")
    {
        if (classWeights is null) return;
        Guard.Rank(classWeights, 1, name);
        Guard.Floating(classWeights, name);
        if (classWeights.shape[0] != numClasses)
            throw new ArgumentException($"{name} must hold one weight per class ({numClasses}); got shape {Guard.Shape(classWeights)}.", name);
    }

    /// <summary>Throws unless every entry of an optional per-class array is finite and non-negative and there are
    /// <paramref name="numClasses"/> of them (any count when <paramref name="numClasses"/> is null).</summary>
    public static double[]? CheckClassArray(double[]? values, string name, int? numClasses = null)
    {
        if (values is null) return null;
        if (values.Length == 0) throw new ArgumentException($"{name} must not be empty.", name);
        if (numClasses is int c && values.Length != c)
            throw new ArgumentException($"{name} must hold {c} values; got {values.Length}.", name);
        foreach (var v in values)
            if (!(v >= 0) || !double.IsFinite(v))
                throw new ArgumentOutOfRangeException(name, v, $"{name} must hold finite non-negative values.");
        return (double[])values.Clone();
    }

    /// <summary>Throws unless every class count is positive; returns a copy.</summary>
    public static long[] CheckCounts(IReadOnlyList<long> counts, string name = "classCounts")
    {
        ArgumentNullException.ThrowIfNull(counts, name);
        if (counts.Count == 0) throw new ArgumentException($"{name} must not be empty.", name);
        for (int c = 0; c < counts.Count; c++)
            if (counts[c] <= 0)
                throw new ArgumentOutOfRangeException(name, counts[c], $"{name} must be positive; class {c} has {counts[c]}.");
        return counts.ToArray();
    }

    /// <summary>A per-class array as a tensor of the input's dtype and device.</summary>
    public static Tensor ToTensor(double[] values, Tensor like) => torch.tensor(values, like.dtype, like.device);

    /// <summary>Throws unless input and target have the same shape, input is floating and target holds values in [0, 1]
    /// (and input too when <paramref name="inputIsProbability"/>). Both must have a sample dimension.</summary>
    public static void CheckDense(Tensor input, Tensor target, bool inputIsProbability)
    {
        Guard.Floating(input, nameof(input));
        Guard.Floating(target, nameof(target));
        if (input.dim() == 0) throw new ArgumentException($"input must have a sample dimension; got shape {Guard.Shape(input)}.", nameof(input));
        Guard.SameShape(input, target, nameof(input), nameof(target));
        if (target.numel() > 0)
        {
            double lo = target.min().ToDouble(), hi = target.max().ToDouble();
            if (lo < 0 || hi > 1) throw new ArgumentOutOfRangeException(nameof(target), $"target must lie in [0, 1]; got values from {lo} to {hi}.");
        }
        if (inputIsProbability && input.numel() > 0)
        {
            double lo = input.min().ToDouble(), hi = input.max().ToDouble();
            if (lo < 0 || hi > 1) throw new ArgumentOutOfRangeException(nameof(input), $"input must be probabilities in [0, 1]; got values from {lo} to {hi}.");
        }
    }
}
