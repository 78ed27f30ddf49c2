using static TorchSharp.torch;

namespace LossLab.Experiments.MetricLearning;

/// <summary>
/// Random views of small grey images for contrastive learning on digits, in the spirit of SimCLR's augmentations
/// (Chen et al., 2020, arXiv:2002.05709) scaled to 8×8: a shift of up to ±s pixels in each direction (zero fill), pixel
/// dropout (each pixel zeroed with probability p) and additive Gaussian noise σ, clipped to [0, 1]. Draws from torch's
/// global generator (seed it with <c>Seeds.Fix</c>). Vectorised: one gather for the shifts of the whole batch.
/// </summary>
public static class DigitAugmentation
{
    /// <summary>One random view of each row of <paramref name="images"/> (N, side²) with values in [0, 1].</summary>
    /// <param name="images">(N, side·side) floating images, flattened row-major.</param>
    /// <param name="side">The image side in pixels (8).</param>
    /// <param name="maxShift">s ≥ 0, the largest shift in pixels (1).</param>
    /// <param name="dropout">p in [0, 1), the pixel dropout probability (0.1).</param>
    /// <param name="noiseStd">σ ≥ 0 of the additive noise (0.1).</param>
    /// <exception cref="ArgumentException">images not floating (N, side²).</exception>
    public static Tensor View(Tensor images, int side = 8, int maxShift = 1, double dropout = 0.1, double noiseStd = 0.1)
    {
        ArgumentNullException.ThrowIfNull(images);
        Guard.Rank(images, 2, nameof(images));
        Guard.Floating(images, nameof(images));
        if (side < 1) throw new ArgumentOutOfRangeException(nameof(side), side, "side must be positive.");
        if (images.shape[1] != (long)side * side)
            throw new ArgumentException($"images must be (N, {side * side}) for side {side}; got {Guard.Shape(images)}.", nameof(images));
        if (maxShift < 0) throw new ArgumentOutOfRangeException(nameof(maxShift), maxShift, "maxShift must be non-negative.");
        Guard.InRange(dropout, 0, 0.999999, nameof(dropout));
        Guard.NonNegative(noiseStd, nameof(noiseStd));
        long n = images.shape[0];
        var view = maxShift == 0 ? images : Shift(images, side, maxShift);
        if (dropout > 0) view = view * rand(view.shape, dtype: view.dtype, device: view.device).ge(dropout).to_type(view.dtype);
        if (noiseStd > 0) view = view + noiseStd * randn(view.shape, dtype: view.dtype, device: view.device);
        return view.clamp(0, 1);
    }

    /// <summary>Shifts each image by (dy, dx) drawn uniformly from [−s, s]², filling with zeros: the image is padded by s on
    /// every side and a side×side window at offset (s + dy, s + dx) is gathered.</summary>
    internal static Tensor Shift(Tensor images, int side, int maxShift, Tensor? offsets = null)
    {
        long n = images.shape[0];
        int padded = side + 2 * maxShift;
        var grid = nn.functional.pad(images.reshape(n, side, side), [maxShift, maxShift, maxShift, maxShift]).reshape(n, padded * padded);
        offsets ??= randint(0, 2 * maxShift + 1, [n, 2], dtype: ScalarType.Int64, device: images.device);
        var rows = arange(side, dtype: ScalarType.Int64, device: images.device);
        var baseIndex = (rows.unsqueeze(1) * padded + rows.unsqueeze(0)).reshape(1, side * side);
        var index = baseIndex + (offsets[.., 0] * padded + offsets[.., 1]).unsqueeze(1);
        return grid.gather(1, index);
    }
}
