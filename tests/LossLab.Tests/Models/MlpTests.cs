using LossLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Models;

[Collection(GlobalRandomCollection.Name)]
public class MlpTests
{
    static long Count(nn.Module m) => m.parameters().Sum(p => p.numel());

    [Fact]
    public void Parameter_counts_match_the_layer_formula()
    {
        // Σ (d_i·d_{i+1} + d_{i+1})
        Assert.Equal(64 * 256 + 256 + 256 * 10 + 10, Count(new Mlp([64, 256, 10])));
        Assert.Equal(784 * 1024 + 1024 + 1024 * 1024 + 1024 + 1024 * 10 + 10, Count(new Mlp([784, 1024, 1024, 10])));
        // each normalisation adds a scale and a shift per hidden unit
        Assert.Equal(6 * 5 + 5 + 2 * 5 + 5 * 3 + 3, Count(new Mlp([6, 5, 3], normalization: Normalization.LayerNorm)));
        Assert.Equal(6 * 5 + 5 + 2 * 5 + 5 * 3 + 3, Count(new Mlp([6, 5, 3], normalization: Normalization.BatchNorm)));
    }

    [Fact]
    public void Forward_is_the_head_of_the_features_and_matches_an_explicit_float64_computation()
    {
        var mlp = new Mlp([3, 4, 2], Activation.Tanh);
        mlp.to(ScalarType.Float64);
        double[,] x = { { 0.5, -1, 2 }, { 1, 0.25, -0.5 } };
        using var input = tensor(x);
        var parameters = mlp.parameters().Select(p => p.data<double>().ToArray()).ToArray();   // W1 (4×3), b1, W2 (2×4), b2
        var (w1, b1, w2, b2) = (parameters[0], parameters[1], parameters[2], parameters[3]);
        using var features = mlp.Features(input);
        using var output = mlp.forward(input);
        Assert.Equal(new long[] { 2, 4 }, features.shape);
        Assert.Equal(new long[] { 2, 2 }, output.shape);
        for (int n = 0; n < 2; n++)
        {
            var h = new double[4];
            for (int j = 0; j < 4; j++)
            {
                double s = b1[j];
                for (int i = 0; i < 3; i++) s += w1[j * 3 + i] * x[n, i];
                h[j] = Math.Tanh(s);
                Assert.Equal(h[j], features[n, j].item<double>(), 12);
            }
            for (int k = 0; k < 2; k++)
            {
                double s = b2[k];
                for (int j = 0; j < 4; j++) s += w2[k * 4 + j] * h[j];
                Assert.Equal(s, output[n, k].item<double>(), 12);
            }
        }
    }

    [Fact]
    public void Images_are_flattened_and_the_feature_size_is_the_last_hidden_width()
    {
        var mlp = new Mlp([64, 32, 16, 10]);
        using var x = randn(5, 1, 8, 8);
        Assert.Equal(new long[] { 5, 10 }, mlp.forward(x).shape);
        Assert.Equal(new long[] { 5, 16 }, mlp.Features(x).shape);
        Assert.Equal(16, mlp.FeatureSize);
        Assert.Equal(new long[] { 10, 16 }, mlp.Head.weight!.shape);
    }

    [Fact]
    public void Bad_widths_dropout_and_inputs_are_rejected()
    {
        Assert.Equal("widths", Assert.Throws<ArgumentException>(() => new Mlp([10])).ParamName);
        Assert.Equal("widths", Assert.Throws<ArgumentException>(() => new Mlp([10, 0, 2])).ParamName);
        Assert.Equal("dropout", Assert.Throws<ArgumentOutOfRangeException>(() => new Mlp([10, 2], dropout: 1)).ParamName);
        var mlp = new Mlp([10, 2]);
        using var wrong = randn(3, 9);
        var ex = Assert.Throws<ArgumentException>(() => mlp.forward(wrong));
        Assert.Contains("[3, 9]", ex.Message);
    }

    [Fact]
    public void Dropout_is_active_in_training_and_off_in_eval()
    {
        var mlp = new Mlp([8, 64, 2], dropout: 0.5);
        using var x = ones(4, 8);
        mlp.eval();
        var a = mlp.forward(x).data<float>().ToArray();
        Assert.Equal(a, mlp.forward(x).data<float>().ToArray());
        mlp.train();
        Assert.NotEqual(a, mlp.forward(x).data<float>().ToArray());
    }
}
