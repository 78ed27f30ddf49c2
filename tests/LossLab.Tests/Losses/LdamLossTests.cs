using LossLab.Losses;
using TorchSharp;
using static LossLab.Tests.Losses.LossTestKit;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses;

public class LdamLossTests
{
    const int N = 5, C = 3;
    static readonly long[] Counts = { 400, 60, 5 };

    /// <summary>CE(s·(z − Δ_y e_y)) with optional class weights (mean divides by Σ w_y), Δ_j = 0.5·n_j^{−1/4}/max.</summary>
    static double Reference(double[] z, long[] y, double s, double[]? w)
    {
        var raw = Counts.Select(n => Math.Pow(n, -0.25)).ToArray();
        var delta = raw.Select(r => 0.5 * r / raw.Max()).ToArray();
        double num = 0, den = 0;
        for (int i = 0; i < N; i++)
        {
            var row = Row(z, i, C).Select((v, k) => s * (v - (k == y[i] ? delta[k] : 0))).ToArray();
            double wy = w?[y[i]] ?? 1;
            num += wy * -LogSoftmax(row)[y[i]];
            den += wy;
        }
        return num / den;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Matches_the_reference_with_and_without_drw_weights(bool drw)
    {
        var z = Uniform(N * C, 20, -1, 1);
        var y = Labels(N, C, 21);
        var w = drw ? ClassBalancedWeights.EffectiveNumber(Counts, 0.9999) : null;
        var loss = new LdamLoss(Counts, classWeights: w);
        MatchesReference(x => loss.call(x, I64(y)), x => Reference(x, y, 30, w), z, new long[] { N, C }, 1e-10, 1e-5);
    }

    [Fact]
    public void Drw_weights_can_be_switched_on_later()
    {
        var z = Uniform(N * C, 22, -1, 1);
        var y = Labels(N, C, 23);
        var loss = new LdamLoss(Counts, scale: 10);
        var drw = new DeferredReweighting(Counts, startEpoch: 3);
        loss.ClassWeights = drw.WeightsAt(2);
        Close(Reference(z, y, 10, null), loss.call(F64(z, N, C), I64(y)).ToDouble(), 1e-12);
        loss.ClassWeights = drw.WeightsAt(3);
        Close(Reference(z, y, 10, drw.WeightsAt(3)), loss.call(F64(z, N, C), I64(y)).ToDouble(), 1e-12);
    }

    [Fact]
    public void Equal_counts_give_equal_margins_of_max_m()
    {
        Assert.All(LdamLoss.Margins(new long[] { 7, 7, 7 }, 0.3), m => Assert.Equal(0.3, m, 15));
    }

    [Fact]
    public void Normed_linear_gives_cosines()
    {
        var head = new NormedLinear(2, 2);
        using (torch.no_grad()) head.weight.copy_(F64(new[] { 2.0, 0.0, 0.0, -3.0 }, 2, 2).to(ScalarType.Float32));
        var cos = head.call(F64(new[] { 1.0, 1.0 }, 1, 2).to(ScalarType.Float32)).data<float>().ToArray();
        Assert.Equal(Math.Sqrt(0.5), cos[0], 6);
        Assert.Equal(-Math.Sqrt(0.5), cos[1], 6);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => head.call(torch.zeros(1, 3))).ParamName);
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        var loss = new LdamLoss(Counts);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => loss.call(torch.zeros(2, 4), I64(new long[] { 0, 1 }))).ParamName);
        Assert.Equal("ClassWeights", Assert.Throws<ArgumentException>(() => loss.ClassWeights = new[] { 1.0 }).ParamName);
        Assert.Equal("scale", Assert.Throws<ArgumentOutOfRangeException>(() => new LdamLoss(Counts, scale: 0)).ParamName);
        Assert.Equal("margins", Assert.Throws<ArgumentException>(() => LossFunctions.Ldam(torch.zeros(2, 3), I64(new long[] { 0, 1 }), torch.zeros(2))).ParamName);
    }
}
