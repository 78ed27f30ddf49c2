using LossLab.Data;
using static TorchSharp.torch;

namespace LossLab.Tests.Data;

public class ProceduralGlyphsTests
{
    [Fact]
    public void Renders_a_horizontal_stroke_as_the_formula_says()
    {
        // stroke y = 0.5 from x = 0.2 to 0.8, half-width 0.0625, 8×8: rows 3 and 4 have centres 0.0625 from the line
        var image = new double[64];
        ProceduralGlyphs.Render([new ProceduralGlyphs.Stroke(0.2, 0.5, 0.8, 0.5)], 0.0625, 8, image);
        Assert.Equal(0.5, image[3 * 8 + 4], 12);        // (0.0625 − 0.0625)·8 + 0.5
        Assert.Equal(0.5, image[4 * 8 + 3], 12);
        Assert.Equal(0.0, image[2 * 8 + 4], 12);        // distance 0.1875: clamp((0.0625 − 0.1875)·8 + 0.5) = 0
        // column 1 (centre x = 0.1875) lies beyond the end point: distance √(0.0125² + 0.0625²)
        double r = Math.Sqrt(0.0125 * 0.0125 + 0.0625 * 0.0625);
        Assert.Equal(Math.Clamp((0.0625 - r) * 8 + 0.5, 0, 1), image[3 * 8 + 1], 12);
    }

    [Theory]
    [InlineData(8, FeatureLayout.Image)]
    [InlineData(28, FeatureLayout.Flat)]
    public void Shapes_types_counts_and_range(int size, FeatureLayout layout)
    {
        using var data = ProceduralGlyphs.Generate([3, 0, 5], size, 0.6, seed: 1, layout);
        long[] shape = layout == FeatureLayout.Image ? [8, 1, size, size] : [8, size * size];
        Assert.Equal(shape, data.Features.shape);
        Assert.Equal(ScalarType.Float32, data.Features.dtype);
        Assert.Equal(new long[] { 0, 0, 0, 2, 2, 2, 2, 2 }, data.Labels.data<long>().ToArray());
        Assert.True(data.Features.min().item<float>() >= 0f);
        Assert.True(data.Features.max().item<float>() <= 1f);
    }

    [Fact]
    public void Generation_is_deterministic_in_the_seed()
    {
        using var a = ProceduralGlyphs.Generate(4, 10, 8, 0.5, seed: 3);
        using var b = ProceduralGlyphs.Generate(4, 10, 8, 0.5, seed: 3);
        using var c = ProceduralGlyphs.Generate(4, 10, 8, 0.5, seed: 4);
        Assert.Equal(a.Features.data<float>().ToArray(), b.Features.data<float>().ToArray());
        Assert.False(a.Features.equal(c.Features).all().item<bool>());
    }

    [Fact]
    public void At_difficulty_zero_every_sample_is_its_class_prototype_and_classes_differ()
    {
        using var data = ProceduralGlyphs.Generate(10, 3, 28, 0.0, seed: 1, FeatureLayout.Flat);
        var x = data.Features;
        for (int c = 0; c < 10; c++)
        {
            Assert.True(x[3 * c].equal(x[3 * c + 1]).all().item<bool>());
            Assert.True(x[3 * c].equal(x[3 * c + 2]).all().item<bool>());
            for (int d = 0; d < c; d++)
                Assert.True((x[3 * c] - x[3 * d]).abs().sum().item<float>() > 5f, $"classes {c} and {d} look alike");
        }
    }

    [Fact]
    public void Prototypes_do_not_depend_on_the_number_of_classes()
    {
        var few = ProceduralGlyphs.Prototypes(3);
        var many = ProceduralGlyphs.Prototypes(50);
        Assert.Equal(few, many[..3]);
        Assert.NotEqual(few[0], ProceduralGlyphs.Prototypes(1, prototypeSeed: 1)[0]);
        // 200 classes: every pair of prototypes renders differently
        var all = ProceduralGlyphs.Prototypes(200);
        var images = all.Select(p => { var img = new double[256]; ProceduralGlyphs.Render(p, ProceduralGlyphs.StrokeHalfWidth, 16, img); return img; }).ToArray();
        for (int a = 0; a < images.Length; a++)
            for (int b = 0; b < a; b++)
                Assert.True(images[a].Zip(images[b], (u, v) => (u - v) * (u - v)).Sum() > 1.0, $"prototypes {a} and {b} coincide");
    }

    [Fact]
    public void Difficulty_widens_classes_but_a_nearest_prototype_rule_still_separates_them()
    {
        const int classes = 10, per = 30;
        using var clean = ProceduralGlyphs.Generate(classes, 1, 28, 0.0, 0, FeatureLayout.Flat);
        double Spread(double difficulty, out double accuracy)
        {
            using var data = ProceduralGlyphs.Generate(classes, per, 28, difficulty, seed: 2, FeatureLayout.Flat);
            using var distances = cdist(data.Features, clean.Features);   // (N, C)
            using var guess = distances.argmin(1);
            accuracy = guess.eq(data.Labels).to_type(ScalarType.Float64).mean().item<double>();
            using var own = distances.gather(1, data.Labels.unsqueeze(1));
            return own.mean().item<float>();
        }
        double low = Spread(0.2, out double accLow), high = Spread(0.8, out double accHigh);
        Assert.True(high > low, $"mean distance to the prototype {high} at δ=0.8 should exceed {low} at δ=0.2");
        Assert.True(accLow >= 0.9, $"nearest-prototype accuracy at δ=0.2 is {accLow}");
        Assert.True(accHigh < accLow + 1e-9);
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Equal("difficulty", Assert.Throws<ArgumentOutOfRangeException>(() => ProceduralGlyphs.Generate(2, 2, 8, 1.5)).ParamName);
        Assert.Equal("size", Assert.Throws<ArgumentOutOfRangeException>(() => ProceduralGlyphs.Generate(2, 2, 4)).ParamName);
        Assert.Equal("classCounts", Assert.Throws<ArgumentOutOfRangeException>(() => ProceduralGlyphs.Generate([2, -1])).ParamName);
        Assert.Equal("numClasses", Assert.Throws<ArgumentOutOfRangeException>(() => ProceduralGlyphs.Generate(0, 2)).ParamName);
    }
}
