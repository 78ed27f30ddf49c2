using static TorchSharp.torch;

namespace LossLab.Data;

/// <summary>
/// Symmetric label noise: a fraction η of the samples, exactly round(η·N) chosen uniformly without replacement, get a new
/// label drawn uniformly from the other classes (<see cref="NoiseTarget.OtherClass"/>, the default: exactly η of the
/// labels are then wrong) or from all classes (<see cref="NoiseTarget.AnyClass"/>). Randomness comes from an explicit
/// <see cref="Random"/>.
/// </summary>
public static class LabelNoise
{
    /// <summary>Applies symmetric noise to <paramref name="labels"/> (which are not modified).</summary>
    /// <param name="labels">Class indices in [0, <paramref name="numClasses"/>).</param>
    /// <param name="numClasses">C ≥ 2.</param>
    /// <param name="fraction">η in [0, 1], the share of samples whose label is resampled.</param>
    /// <param name="rng">The source of randomness.</param>
    /// <param name="target">Whether a resampled label avoids the true class.</param>
    public static NoisyLabels Symmetric(ReadOnlySpan<long> labels, int numClasses, double fraction, Random rng,
        NoiseTarget target = NoiseTarget.OtherClass)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (numClasses < 2) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "numClasses must be at least 2.");
        Guard.InRange(fraction, 0, 1, nameof(fraction));
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] < 0 || labels[i] >= numClasses)
                throw new ArgumentOutOfRangeException(nameof(labels), $"labels must lie in [0, {numClasses}); found {labels[i]} at index {i}.");
        int n = labels.Length;
        int corrupt = (int)Math.Round(fraction * n, MidpointRounding.AwayFromZero);
        var order = Enumerable.Range(0, n).ToArray();
        RandomSampling.Shuffle(rng, order);
        var noisy = labels.ToArray();
        var changed = new bool[n];
        foreach (int i in order.AsSpan(0, corrupt))
        {
            long y = labels[i];
            long z = target switch
            {
                NoiseTarget.OtherClass => rng.Next(numClasses - 1) is var k && k >= y ? k + 1 : k,
                NoiseTarget.AnyClass => rng.Next(numClasses),
                _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown noise target."),
            };
            noisy[i] = z;
            changed[i] = z != y;
        }
        return new NoisyLabels(noisy, changed);
    }

    /// <summary>A copy of <paramref name="data"/> with symmetric label noise; C defaults to the dataset's class count.</summary>
    public static LabeledTensors Symmetric(LabeledTensors data, double fraction, Random rng,
        NoiseTarget target = NoiseTarget.OtherClass, int? numClasses = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var labels = RandomSampling.LabelsOf(data, nameof(data));
        var noisy = Symmetric(labels, numClasses ?? RandomSampling.NumClasses(labels), fraction, rng, target);
        return new LabeledTensors(data.Features.clone(), tensor(noisy.Labels, [noisy.Labels.LongLength], device: data.Labels.device));
    }
}
