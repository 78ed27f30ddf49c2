using LossLab.Experiments.MetricLearning;
using static TorchSharp.torch;

namespace LossLab.Tests.Experiments.MetricLearning;

public class DigitAugmentationTests
{
    [Fact]
    public void Shift_moves_pixels_with_zero_fill_by_loop()
    {
        const int side = 4, s = 1;
        var pixels = Enumerable.Range(1, 2 * side * side).Select(v => (float)v).ToArray();
        using var images = tensor(pixels, [2, side * side]);
        // image 0 offset (0, 2) = shift (dy, dx) = (−1, +1); image 1 offset (1, 1) = no shift
        using var offsets = tensor(new long[] { 0, 2, 1, 1 }, [2, 2]);
        using var shifted = DigitAugmentation.Shift(images, side, s, offsets);
        var got = shifted.data<float>().ToArray();
        long[][] off = [[0, 2], [1, 1]];
        for (int n = 0; n < 2; n++)
            for (int r = 0; r < side; r++)
                for (int c = 0; c < side; c++)
                {
                    int sr = r + (int)off[n][0] - s, sc = c + (int)off[n][1] - s;
                    float expected = sr >= 0 && sr < side && sc >= 0 && sc < side ? pixels[n * side * side + sr * side + sc] : 0;
                    Assert.Equal(expected, got[n * side * side + r * side + c]);
                }
    }

    [Fact]
    public void Without_shift_dropout_or_noise_the_view_is_the_image_and_views_stay_in_the_unit_range()
    {
        using var images = rand(5, 64);
        using var same = DigitAugmentation.View(images, maxShift: 0, dropout: 0, noiseStd: 0);
        Assert.True(same.eq(images).all().item<bool>());
        manual_seed(3);
        using var view = DigitAugmentation.View(images, noiseStd: 2);
        Assert.True(view.min().item<float>() >= 0 && view.max().item<float>() <= 1);
        // dropout 0.5 without noise or shift zeroes about half of the pixels of an all-ones image
        using var ones_ = ones(200, 64);
        using var dropped = DigitAugmentation.View(ones_, maxShift: 0, dropout: 0.5, noiseStd: 0);
        double kept = dropped.mean().item<float>();
        Assert.InRange(kept, 0.47, 0.53);
    }

    [Fact]
    public void Rejects_bad_inputs()
    {
        using var wrong = zeros(3, 50);
        Assert.Equal("images", Assert.Throws<ArgumentException>(() => DigitAugmentation.View(wrong)).ParamName);
        using var ok = zeros(3, 64);
        Assert.Equal("maxShift", Assert.Throws<ArgumentOutOfRangeException>(() => DigitAugmentation.View(ok, maxShift: -1)).ParamName);
        Assert.Equal("dropout", Assert.ThrowsAny<ArgumentException>(() => DigitAugmentation.View(ok, dropout: 1)).ParamName);
        Assert.Equal("noiseStd", Assert.ThrowsAny<ArgumentException>(() => DigitAugmentation.View(ok, noiseStd: -0.1)).ParamName);
    }
}
