using LossLab.Dynamics;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Dynamics;

public class MinorityCollapseTests
{
    [Fact]
    public void A_three_class_simplex_has_cosine_minus_half_and_angles_of_120_degrees()
    {
        double s = Math.Sqrt(3) / 2;
        var w = torch.tensor(new[] { 1.0, 0, -0.5, s, -0.5, -s }, ScalarType.Float64).reshape(3, 2);
        Assert.Equal(-0.5, MinorityCollapse.MeanCosine(w, new[] { 0, 1, 2 }), 12);
        Assert.Equal(120, MinorityCollapse.MeanAngleDegrees(w, new[] { 0, 1, 2 }), 9);
        Assert.Equal(-0.5, MinorityCollapse.MeanCosine(w * 4 + 0, new[] { 1, 2 }), 12);
    }

    [Fact]
    public void Collapsed_minority_rows_have_cosine_near_one()
    {
        // Rows 2 and 3 are nearly parallel: cos = 1/√(1 + 0.01²)·… computed by hand.
        var w = torch.tensor(new[] { 1.0, 0, 0, 1, -1, -1, -1, -1.01 }, ScalarType.Float64).reshape(4, 2);
        double expected = (1 + 1.01) / (Math.Sqrt(2) * Math.Sqrt(1 + 1.01 * 1.01));
        Assert.Equal(expected, MinorityCollapse.MeanCosine(w, new[] { 2, 3 }), 12);
        Assert.Equal(Math.Acos(expected) * 180 / Math.PI, MinorityCollapse.MeanAngleDegrees(w, new[] { 2, 3 }), 9);
        // Centred on the mean row (−0.25, −0.2525).
        double[] a = { -0.75, -0.7475 }, b = { -0.75, -0.7575 };
        double centred = (a[0] * b[0] + a[1] * b[1]) / (Math.Sqrt(a[0] * a[0] + a[1] * a[1]) * Math.Sqrt(b[0] * b[0] + b[1] * b[1]));
        Assert.Equal(centred, MinorityCollapse.MeanCosine(w, new[] { 2, 3 }, centred: true), 12);
    }

    [Fact]
    public void Classes_below_a_threshold_are_the_minority()
    {
        Assert.Equal(new[] { 2, 3 }, MinorityCollapse.ClassesBelow(new long[] { 500, 100, 5, 20 }, 50));
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        var w = torch.ones(3, 2, ScalarType.Float64);
        Assert.Equal("classes", Assert.Throws<ArgumentException>(() => MinorityCollapse.MeanCosine(w, new[] { 1 })).ParamName);
        Assert.Equal("classes", Assert.Throws<ArgumentException>(() => MinorityCollapse.MeanCosine(w, new[] { 1, 1 })).ParamName);
        Assert.Equal("classes", Assert.Throws<ArgumentOutOfRangeException>(() => MinorityCollapse.MeanCosine(w, new[] { 0, 3 })).ParamName);
        Assert.Equal("classifierWeight", Assert.Throws<ArgumentException>(() => MinorityCollapse.MeanCosine(torch.ones(3), new[] { 0, 1 })).ParamName);
    }
}
