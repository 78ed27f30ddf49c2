using LossLab.Losses;
using TorchSharp;
using static LossLab.Tests.Losses.LossTestKit;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses;

public class CoverageLossTests
{
    const int N = 5, C = 4;

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(16)]
    public void Matches_the_reference(int samples)
    {
        var z = Uniform(N * C, 100);
        var y = Labels(N, C, 101);
        double Ref(double[] x) => Enumerable.Range(0, N).Average(i =>
            -Math.Log(1 - Math.Pow(1 - Softmax(Row(x, i, C))[y[i]], samples)));
        MatchesReference(x => new CoverageLoss(samples).call(x, I64(y)), Ref, z, new long[] { N, C });
    }

    [Fact]
    public void One_sample_is_cross_entropy()
    {
        var z = F64(Uniform(N * C, 102), N, C);
        var y = I64(Labels(N, C, 103));
        Close(LossFunctions.CrossEntropy(z, y).ToDouble(), LossFunctions.Coverage(z, y, 1).ToDouble(), 1e-13);
    }

    [Fact]
    public void A_confident_correct_sample_has_a_tiny_loss_and_finite_gradient()
    {
        var (value, grad) = ValueAndGrad(x => LossFunctions.Coverage(x, I64(new long[] { 0 }), 16), new[] { 3.0, 0, 0 }, new long[] { 1, 3 });
        double miss = 1 - Softmax(new[] { 3.0, 0, 0 })[0];
        Close(-Math.Log(1 - Math.Pow(miss, 16)), value, 1e-12);
        Assert.All(grad, g => Assert.True(double.IsFinite(g)));
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Equal("samples", Assert.Throws<ArgumentOutOfRangeException>(() => new CoverageLoss(0)).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentException>(() => LossFunctions.Coverage(torch.zeros(2, 3), I64(new long[] { 0 }))).ParamName);
    }
}
