using LossLab.Dynamics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Tests.Dynamics;

public class NormsTests
{
    static (Parameter A, Parameter B) WithGradients()
    {
        var a = new Parameter(tensor(new[] { 1.0, 2.0 }), requires_grad: true);       // ‖a‖² = 5
        var b = new Parameter(tensor(new[] { 2.0 }), requires_grad: true);            // ‖b‖² = 4
        using var loss = (tensor(new[] { 3.0, 4.0 }) * a).sum() + (tensor(new[] { -12.0 }) * b).sum();
        loss.backward();                                                               // g_a = (3, 4), g_b = (−12)
        return (a, b);
    }

    [Fact]
    public void Global_norms_concatenate_all_tensors()
    {
        var (a, b) = WithGradients();
        Assert.Equal(3, Norms.Weight([a, b]), 12);
        Assert.Equal(13, Norms.Gradient([a, b]), 12);
    }

    [Fact]
    public void Alignment_is_the_cosine_between_gradient_and_weights()
    {
        var (a, b) = WithGradients();
        // ⟨g, w⟩ = 3 + 8 − 24 = −13, ‖g‖ = 13, ‖w‖ = 3
        Assert.Equal(-13.0 / 39, Norms.GradientWeightAlignment([a, b]), 12);
        Assert.Equal(11 / (5 * Math.Sqrt(5)), Norms.GradientWeightAlignment([a]), 12);
    }

    [Fact]
    public void Per_layer_norms_are_keyed_by_parameter_name()
    {
        var lin = nn.Linear(2, 1, dtype: ScalarType.Float64);
        using (no_grad()) { lin.weight!.copy_(tensor(new[] { 3.0, 4.0 }).reshape(1, 2)); lin.bias!.copy_(tensor(new[] { -1.0 })); }
        using var loss = lin.forward(tensor(new[] { 1.0, 2.0 }).reshape(1, 2)).sum();
        loss.backward();                                                               // g_W = (1, 2), g_b = 1
        var w = Norms.WeightPerLayer(lin);
        var g = Norms.GradientPerLayer(lin);
        Assert.Equal(5, w["weight"], 12); Assert.Equal(1, w["bias"], 12);
        Assert.Equal(Math.Sqrt(5), g["weight"], 12); Assert.Equal(1, g["bias"], 12);
        Assert.Equal(11 / (5 * Math.Sqrt(5)), Norms.GradientWeightAlignmentPerLayer(lin)["weight"], 12);
    }

    [Fact]
    public void Update_to_weight_ratio_compares_the_change_with_the_old_weights()
    {
        var a = new Parameter(tensor(new[] { 3.0, 4.0 }), requires_grad: true);
        var b = new Parameter(tensor(new[] { 0.0 }), requires_grad: true);
        using var snap = new WeightSnapshot([a, b]);
        using (no_grad()) { a.add_(tensor(new[] { 0.3, 0.0 })); b.add_(tensor(new[] { 0.4 })); }
        Assert.Equal(0.5 / 5, snap.UpdateToWeightRatio(), 12);
        var per = snap.UpdateToWeightRatios();
        Assert.Equal(0.3 / 5, per[0], 12);
        Assert.Equal(double.PositiveInfinity, per[1]);
    }
}
