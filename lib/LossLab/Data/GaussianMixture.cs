using LossLab.Training;
using static TorchSharp.torch;

namespace LossLab.Data;

/// <summary>
/// Isotropic Gaussian class clusters: class c draws x = μ_c + σ·z, z ~ N(0, I_d). When d ≥ C the means are
/// μ_c = (s/√2)·e_c, so every two means are exactly s (the separation) apart; when d &lt; C they are random points on the
/// sphere of radius s/√2 (drawn from the seed), so pairs are s apart on average. Two classes with equal priors are then
/// separated by the Bayes classifier with accuracy Φ(s/(2σ)).
/// </summary>
public static class GaussianMixture
{
    /// <summary>The C class means (rows) in d dimensions for separation s; see the class summary.</summary>
    public static double[][] Means(int numClasses, int dimensions, double separation, int seed = 0)
    {
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "numClasses must be at least 1.");
        if (dimensions < 1) throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "dimensions must be at least 1.");
        Guard.NonNegative(separation, nameof(separation));
        double radius = separation / Math.Sqrt(2.0);
        var means = new double[numClasses][];
        var rng = Seeds.Legacy(seed);
        for (int c = 0; c < numClasses; c++)
        {
            var mu = new double[dimensions];
            if (dimensions >= numClasses) mu[c] = radius;
            else
            {
                double norm;
                do
                {
                    for (int j = 0; j < dimensions; j++) mu[j] = RandomSampling.Normal(rng);
                    norm = Math.Sqrt(mu.Sum(v => v * v));
                } while (norm < 1e-12);
                for (int j = 0; j < dimensions; j++) mu[j] *= radius / norm;
            }
            means[c] = mu;
        }
        return means;
    }

    /// <summary>
    /// Draws <paramref name="classCounts"/>[c] samples of each class c (for example from <see cref="LongTail.ClassCounts"/>),
    /// ordered by class. Features are float32 (N, d), not rescaled; labels int64. Same arguments → same tensors.
    /// </summary>
    /// <param name="classCounts">Samples per class; C = its length.</param>
    /// <param name="dimensions">d ≥ 1.</param>
    /// <param name="separation">s ≥ 0, the distance between class means (see the class summary).</param>
    /// <param name="seed">Seeds the means (when d &lt; C) and the samples.</param>
    /// <param name="noiseStd">σ &gt; 0, the per-coordinate standard deviation.</param>
    public static LabeledTensors Generate(IReadOnlyList<int> classCounts, int dimensions, double separation, int seed, double noiseStd = 1.0)
    {
        ArgumentNullException.ThrowIfNull(classCounts);
        if (classCounts.Count == 0) throw new ArgumentException("classCounts must hold at least one class.", nameof(classCounts));
        for (int c = 0; c < classCounts.Count; c++)
            if (classCounts[c] < 0)
                throw new ArgumentOutOfRangeException(nameof(classCounts), $"classCounts[{c}] is {classCounts[c]}; counts must be non-negative.");
        Guard.Positive(noiseStd, nameof(noiseStd));
        var means = Means(classCounts.Count, dimensions, separation, seed);
        long n = classCounts.Sum(c => (long)c);
        var features = new float[n * dimensions];
        var labels = new long[n];
        var rng = Seeds.Legacy(unchecked(seed * 7919 + 17));
        long i = 0;
        for (int c = 0; c < classCounts.Count; c++)
            for (int k = 0; k < classCounts[c]; k++, i++)
            {
                labels[i] = c;
                for (int j = 0; j < dimensions; j++)
                    features[i * dimensions + j] = (float)(means[c][j] + noiseStd * RandomSampling.Normal(rng));
            }
        return new LabeledTensors(tensor(features, [n, dimensions]), tensor(labels, [n]));
    }

    /// <summary>A balanced mixture: <paramref name="perClass"/> samples of each of <paramref name="numClasses"/> classes.</summary>
    public static LabeledTensors Generate(int numClasses, int perClass, int dimensions, double separation, int seed, double noiseStd = 1.0)
    {
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "numClasses must be at least 1.");
        return Generate(Enumerable.Repeat(perClass, numClasses).ToArray(), dimensions, separation, seed, noiseStd);
    }
}
