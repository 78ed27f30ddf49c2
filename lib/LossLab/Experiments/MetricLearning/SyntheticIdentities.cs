using LossLab.Training;
using LossLab.Data;
using static TorchSharp.torch;

namespace LossLab.Experiments.MetricLearning;

/// <summary>Images of synthetic identities with a known quality per image: <see cref="Data"/> holds (N, side²) float32
/// images with int64 identity labels, <see cref="Quality"/> each image's quality q in [0, 1].</summary>
public sealed record IdentityImages(LabeledTensors Data, double[] Quality);

/// <summary>
/// Synthetic identities of varying image quality, a small stand-in for face-recognition data where the quality of a
/// probe matters (AdaFace, Kim et al., CVPR 2022, arXiv:2204.00964). Identity c has a fixed prototype image P_c
/// (i.i.d. N(0, 1) pixels, optionally 3×3 box-smoothed, standardised, mapped to 0.5 + 0.25·z and clipped to [0, 1]). An image of
/// c draws a quality q ~ U(0, 1), optionally shifts P_c by up to ±<c>maxShift</c> pixels (zero fill), degrades it by 2×
/// down- and up-sampling (2×2 mean, then nearest) when q &lt; 0.3, adds Gaussian noise of σ = 0.1 + 0.6·(1 − q) and clips
/// to [0, 1]. The same arguments always give the same images.
/// </summary>
public static class SyntheticIdentities
{
    /// <summary>Quality below which an image is also down- and up-sampled.</summary>
    public const double LowResolutionBelow = 0.3;

    /// <summary>The noise σ of an image of quality q: 0.1 + 0.6·(1 − q).</summary>
    public static double NoiseStd(double quality) => 0.1 + 0.6 * (1 - quality);

    /// <summary>Draws <paramref name="perIdentity"/> images of each of <paramref name="identities"/> identities, ordered by
    /// identity; identity c's prototype depends only on (<paramref name="prototypeSeed"/>, c), so a larger set extends a
    /// smaller one with new identities.</summary>
    /// <param name="identities">Identities, ≥ 1.</param>
    /// <param name="perIdentity">Images per identity, ≥ 1.</param>
    /// <param name="seed">Seeds the qualities, shifts and noise.</param>
    /// <param name="side">Image side, an even number ≥ 4 (8).</param>
    /// <param name="prototypeSeed">Seeds the prototypes (0).</param>
    /// <param name="maxShift">The largest random shift of the prototype in pixels, ≥ 0 (0: no shift).</param>
    /// <param name="smooth">Whether the prototypes are 3×3 box-smoothed (fewer effective dimensions: harder to tell apart).</param>
    /// <param name="energyPreserving">Whether the degradation preserves the image's energy: instead of adding noise of σ(q)
    /// and clipping, the centred (and, when q &lt; 0.3, down- and up-sampled) image u and a Gaussian noise image e are mixed
    /// convexly, q·u/‖u‖ + (1 − q)·e/‖e‖, rescaled to the norm ‖P_c − 0.5‖ of the centred clean prototype and shifted back by
    /// 0.5 (no clipping), so that ‖x − 0.5‖ = ‖P_c − 0.5‖ whatever the quality and the input norm carries no quality signal.</param>
    public static IdentityImages Generate(int identities, int perIdentity, int seed, int side = 8, int prototypeSeed = 0, int maxShift = 0,
        bool smooth = false, bool energyPreserving = false)
    {
        if (identities < 1) throw new ArgumentOutOfRangeException(nameof(identities), identities, "identities must be at least 1.");
        if (perIdentity < 1) throw new ArgumentOutOfRangeException(nameof(perIdentity), perIdentity, "perIdentity must be at least 1.");
        if (side < 4 || side % 2 != 0) throw new ArgumentOutOfRangeException(nameof(side), side, "side must be an even number of at least 4.");
        if (maxShift < 0) throw new ArgumentOutOfRangeException(nameof(maxShift), maxShift, "maxShift must be non-negative.");
        int pixels = side * side;
        long n = (long)identities * perIdentity;
        var features = new float[n * pixels];
        var labels = new long[n];
        var quality = new double[n];
        var rng = Seeds.Legacy(seed);
        var image = new double[pixels];
        long i = 0;
        for (int c = 0; c < identities; c++)
        {
            var prototype = Prototype(c, side, prototypeSeed, smooth);
            for (int k = 0; k < perIdentity; k++, i++)
            {
                labels[i] = c;
                double q = rng.NextDouble();
                quality[i] = q;
                int dy = maxShift > 0 ? rng.Next(-maxShift, maxShift + 1) : 0, dx = maxShift > 0 ? rng.Next(-maxShift, maxShift + 1) : 0;
                for (int r = 0; r < side; r++)
                    for (int col = 0; col < side; col++)
                    {
                        int sr = r + dy, sc = col + dx;
                        image[r * side + col] = sr >= 0 && sr < side && sc >= 0 && sc < side ? prototype[sr * side + sc] : 0;
                    }
                if (q < LowResolutionBelow) DownUp(image, side);
                if (energyPreserving)
                {
                    MixToEnergy(image, prototype, q, rng, features.AsSpan((int)(i * pixels), pixels));
                    continue;
                }
                double sigma = NoiseStd(q);
                for (int p = 0; p < pixels; p++)
                    features[i * pixels + p] = (float)Math.Clamp(image[p] + sigma * RandomSampling.Normal(rng), 0, 1);
            }
        }
        return new IdentityImages(new LabeledTensors(tensor(features, [n, pixels]), tensor(labels, [n])), quality);
    }

    /// <summary>Identity <paramref name="identity"/>'s prototype image (side², row-major), 3×3 box-smoothed when
    /// <paramref name="smooth"/>.</summary>
    public static double[] Prototype(int identity, int side = 8, int prototypeSeed = 0, bool smooth = false)
    {
        var rng = Seeds.Legacy(unchecked(prototypeSeed * 1_000_003 + identity * 7919 + 17));
        var raw = new double[side * side];
        for (int p = 0; p < raw.Length; p++) raw[p] = RandomSampling.Normal(rng);
        if (!smooth) return Standardised(raw);
        var smoothed = new double[raw.Length];
        for (int r = 0; r < side; r++)
            for (int c = 0; c < side; c++)
            {
                double sum = 0; int count = 0;
                for (int a = Math.Max(0, r - 1); a <= Math.Min(side - 1, r + 1); a++)
                    for (int b = Math.Max(0, c - 1); b <= Math.Min(side - 1, c + 1); b++) { sum += raw[a * side + b]; count++; }
                smoothed[r * side + c] = sum / count;
            }
        return Standardised(smoothed);
    }

    static double[] Standardised(double[] values)
    {
        double mean = values.Average();
        double std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
        return values.Select(v => Math.Clamp(0.5 + 0.25 * (v - mean) / std, 0, 1)).ToArray();
    }

    /// <summary>Writes 0.5 + ‖P − 0.5‖·m/‖m‖ with m = q·u/‖u‖ + (1 − q)·e/‖e‖, u = image − 0.5, e ~ N(0, I).</summary>
    static void MixToEnergy(double[] image, double[] prototype, double q, Random rng, Span<float> output)
    {
        int pixels = image.Length;
        var noise = new double[pixels];
        for (int p = 0; p < pixels; p++) noise[p] = RandomSampling.Normal(rng);
        double target = Math.Sqrt(prototype.Sum(v => (v - 0.5) * (v - 0.5)));
        double un = Math.Sqrt(image.Sum(v => (v - 0.5) * (v - 0.5))), en = Math.Sqrt(noise.Sum(v => v * v));
        var mixed = new double[pixels];
        for (int p = 0; p < pixels; p++)
            mixed[p] = (un > 0 ? q * (image[p] - 0.5) / un : 0) + (1 - q) * noise[p] / en;
        double mn = Math.Sqrt(mixed.Sum(v => v * v));
        for (int p = 0; p < pixels; p++) output[p] = (float)(0.5 + target * mixed[p] / mn);
    }

    /// <summary>Replaces each 2×2 block of the image by its mean (2× down-sampling, then nearest up-sampling).</summary>
    internal static void DownUp(double[] image, int side)
    {
        for (int r = 0; r < side; r += 2)
            for (int c = 0; c < side; c += 2)
            {
                double m = (image[r * side + c] + image[r * side + c + 1] + image[(r + 1) * side + c] + image[(r + 1) * side + c + 1]) / 4;
                image[r * side + c] = image[r * side + c + 1] = image[(r + 1) * side + c] = image[(r + 1) * side + c + 1] = m;
            }
    }
}
