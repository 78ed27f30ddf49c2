using LossLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Tests.Training;

public class GlobalNormClipperTests
{
    static Parameter WithGrad(double[] values, double[] grad)
    {
        var p = new Parameter(tensor(values));
        p.grad = tensor(grad);
        return p;
    }

    [Fact]
    public void Gradients_above_the_bound_are_scaled_to_it_and_the_norm_is_returned()
    {
        // g = (3, 4) and (12): ‖g‖ = sqrt(9 + 16 + 144) = 13; c = 2.6 → factor 2.6 / (13 + 1e-6) ≈ 0.2
        var a = WithGrad([1, 1], [3, 4]);
        var b = WithGrad([1], [12]);
        double norm = new GlobalNormClipper(2.6).Clip([a, b], step: 0);
        Assert.Equal(13, norm, 10);
        Assert.Equal(new[] { 0.6, 0.8 }, a.grad!.data<double>().ToArray().Select(v => Math.Round(v, 6)));
        Assert.Equal(2.4, b.grad!.data<double>()[0], 6);
    }

    [Fact]
    public void Gradients_within_the_bound_are_left_alone()
    {
        var a = WithGrad([1, 1], [0.3, 0.4]);
        double norm = new GlobalNormClipper(1).Clip([a], 0);
        Assert.Equal(0.5, norm, 12);
        Assert.Equal(new[] { 0.3, 0.4 }, a.grad!.data<double>().ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void A_non_positive_bound_is_rejected(double c) =>
        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(() => new GlobalNormClipper(c)).ParamName);

    [Fact]
    public void The_trainer_records_the_clipper_norm_per_step()
    {
        var model = nn.Linear(1, 1, hasBias: false, dtype: ScalarType.Float64);
        using (no_grad()) model.weight!.fill_(0.0);
        // loss = (w·x − y)², x = 1, y = 10: gradient at w = 0 is −20 → scaled by c / (20 + 1e-6) with c = 1, then lr 0.1
        var trainer = new Trainer(model, optim.SGD(model.parameters(), 0.1),
            b => (model.forward(b.Inputs) - b.Targets).pow(2).mean()) { Clipper = new GlobalNormClipper(1) };
        using var x = ones(1, 1, dtype: ScalarType.Float64);
        using var y = full(1, 1, 10.0, dtype: ScalarType.Float64);
        trainer.TrainStep(x, y);
        Assert.Equal(20, trainer.History.GradientNorms[0], 10);
        Assert.Equal(0.1 * 20 / (20 + 1e-6), model.weight.data<double>()[0], 12);
    }
}
