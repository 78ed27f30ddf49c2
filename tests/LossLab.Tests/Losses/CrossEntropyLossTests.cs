using LossLab.Losses;
using TorchSharp;
using static LossLab.Tests.Losses.LossTestKit;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses;

public class CrossEntropyLossTests
{
    const int N = 6, C = 4;
    static readonly double[] Weights = { 0.5, 2.0, 1.0, 3.0 };
    static readonly double[] SampleWeights = { 1.0, 0.0, 2.0, 0.5, 1.5, 1.0 };

    /// <summary>torch semantics in loops: ℓ_i = (1−ε)w_y(−log p_y) + ε/C Σ_k w_k(−log p_k); mean divides by Σ s_i w_{y_i}.</summary>
    static double Reference(double[] z, long[] y, double[]? w, double[]? s, double eps, nn.Reduction reduction)
    {
        double numerator = 0, denominator = 0;
        for (int i = 0; i < y.Length; i++)
        {
            var logp = LogSoftmax(Row(z, i, C));
            double wy = w?[y[i]] ?? 1, si = s?[i] ?? 1;
            double smooth = 0;
            for (int k = 0; k < C; k++) smooth += (w?[k] ?? 1) * -logp[k];
            numerator += si * ((1 - eps) * wy * -logp[y[i]] + eps / C * smooth);
            denominator += si * wy;
        }
        return reduction == nn.Reduction.Sum ? numerator : numerator / denominator;
    }

    public static TheoryData<bool, bool, double, nn.Reduction> Cases() => new()
    {
        { false, false, 0.0, nn.Reduction.Mean }, { true, false, 0.0, nn.Reduction.Mean }, { false, false, 0.1, nn.Reduction.Mean },
        { true, false, 0.2, nn.Reduction.Mean }, { true, true, 0.2, nn.Reduction.Mean }, { false, true, 0.0, nn.Reduction.Mean },
        { true, true, 0.3, nn.Reduction.Sum },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_a_float64_loop_and_its_finite_difference_gradient(bool classWeights, bool sampleWeights, double eps, nn.Reduction reduction)
    {
        var z = Uniform(N * C, 1);
        var y = Labels(N, C, 2);
        var w = classWeights ? Weights : null;
        var s = sampleWeights ? SampleWeights : null;
        MatchesReference(
            x => LossFunctions.CrossEntropy(x, I64(y), w is null ? null : F64(w, C), s is null ? null : F64(s, N), eps, reduction),
            x => Reference(x, y, w, s, eps, reduction), z, new long[] { N, C });
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.15)]
    public void Agrees_with_torch_cross_entropy_with_class_weights_and_label_smoothing(double eps)
    {
        var z = F64(Uniform(N * C, 3), N, C);
        var y = I64(Labels(N, C, 4));
        var w = F64(Weights, C);
        var ours = LossFunctions.CrossEntropy(z, y, w, null, eps).ToDouble();
        var torchs = nn.functional.cross_entropy(z, y, w, label_smoothing: eps).ToDouble();
        Close(torchs, ours, 1e-12);
    }

    [Fact]
    public void Two_equal_logits_give_log_2()
    {
        var loss = new CrossEntropyLoss();
        Close(Math.Log(2), loss.call(F64(new[] { 0.0, 0.0 }, 1, 2), I64(new long[] { 1 })).ToDouble(), 1e-15);
    }

    [Fact]
    public void Module_equals_functional_and_none_gives_weighted_per_sample_losses()
    {
        var z = Uniform(N * C, 5);
        var y = Labels(N, C, 6);
        var loss = new CrossEntropyLoss(Weights, 0.1, nn.Reduction.None);
        var perSample = loss.forward(F64(z, N, C), I64(y), F64(SampleWeights, N)).data<double>().ToArray();
        for (int i = 0; i < N; i++)
        {
            var logp = LogSoftmax(Row(z, i, C));
            double smooth = Enumerable.Range(0, C).Sum(k => Weights[k] * -logp[k]);
            Close(SampleWeights[i] * (0.9 * Weights[y[i]] * -logp[y[i]] + 0.1 / C * smooth), perSample[i], 1e-12);
        }
        var mean = new CrossEntropyLoss(Weights, 0.1).forward(F64(z, N, C), I64(y), F64(SampleWeights, N)).ToDouble();
        Close(LossFunctions.CrossEntropy(F64(z, N, C), I64(y), F64(Weights, C), F64(SampleWeights, N), 0.1).ToDouble(), mean, 1e-14);
    }

    [Fact]
    public void Float32_agrees_with_float64()
    {
        var z = Uniform(N * C, 7);
        var y = Labels(N, C, 8);
        var loss = new CrossEntropyLoss(Weights, 0.1);
        var f32 = loss.call(F64(z, N, C).to(ScalarType.Float32), I64(y)).ToDouble();
        Close(Reference(z, y, Weights, null, 0.1, nn.Reduction.Mean), f32, 1e-6);
    }

    [Fact]
    public void Empty_batch_and_zero_weights_give_zero_loss_and_zero_gradient()
    {
        var (value, grad) = ValueAndGrad(x => LossFunctions.CrossEntropy(x, torch.zeros(0, ScalarType.Int64)), Array.Empty<double>(), new long[] { 0, C });
        Assert.Equal(0.0, value);
        Assert.Empty(grad);
        var z = Uniform(2 * C, 9);
        var (v2, g2) = ValueAndGrad(x => LossFunctions.CrossEntropy(x, I64(new long[] { 0, 1 }), null, torch.zeros(2, ScalarType.Float64)), z, new long[] { 2, C });
        Assert.Equal(0.0, v2);
        Assert.All(g2, g => Assert.Equal(0.0, g));
    }

    [Fact]
    public void Bad_arguments_throw_naming_the_argument()
    {
        var z = F64(Uniform(N * C, 10), N, C);
        var y = I64(Labels(N, C, 11));
        Assert.Equal("target", Assert.Throws<ArgumentException>(() => LossFunctions.CrossEntropy(z, I64(new long[] { 0, 1 }))).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentException>(() => LossFunctions.CrossEntropy(z, y.to(ScalarType.Float64))).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentOutOfRangeException>(() => LossFunctions.CrossEntropy(z, I64(new long[] { 0, 1, 2, 3, 4, 0 }))).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => LossFunctions.CrossEntropy(z.flatten(), y)).ParamName);
        Assert.Equal("classWeights", Assert.Throws<ArgumentException>(() => LossFunctions.CrossEntropy(z, y, F64(new[] { 1.0, 2.0 }, 2))).ParamName);
        Assert.Equal("sampleWeights", Assert.Throws<ArgumentException>(() => LossFunctions.CrossEntropy(z, y, null, F64(new[] { 1.0 }, 1))).ParamName);
        Assert.Equal("labelSmoothing", Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropyLoss(labelSmoothing: 1.5)).ParamName);
        Assert.Equal("ClassWeights", Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropyLoss(new[] { 1.0, -1.0 })).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => new CrossEntropyLoss(new[] { 1.0, 1.0 }).call(z, y)).ParamName);
    }
}
