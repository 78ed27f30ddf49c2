using LossLab.Models;
using LossLab.Unlearning;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Unlearning;

public class HiddenLayerPruningTests
{
    // an MLP 3 → 4 → 1 → 2 in float64 whose hidden units 2 and 3 are exact duplicates (same incoming weights and bias)
    static readonly double[,] W0 = { { 0.5, -0.3, 0.8 }, { -0.6, 0.9, 0.1 }, { 1.2, 0.4, -0.2 }, { 1.2, 0.4, -0.2 } };
    static readonly double[] B0 = { 0.1, -0.2, 0.3, 0.3 };
    static readonly double[,] W1 = { { 0.7, -0.5, 0.9, 0.4 } };
    static readonly double[] B1 = { -0.1 };
    static readonly double[,] W2 = { { 1.5 }, { -0.8 } };
    static readonly double[] B2 = { 0.2, 0.05 };

    static Mlp Model()
    {
        var m = new Mlp([3, 4, 1, 2]);
        m.to(ScalarType.Float64);
        using var _ = no_grad();
        var p = m.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        p["body.linear0.weight"].copy_(tensor(W0, dtype: ScalarType.Float64)); p["body.linear0.bias"].copy_(tensor(B0, dtype: ScalarType.Float64));
        p["body.linear1.weight"].copy_(tensor(W1, dtype: ScalarType.Float64)); p["body.linear1.bias"].copy_(tensor(B1, dtype: ScalarType.Float64));
        p["head.weight"].copy_(tensor(W2, dtype: ScalarType.Float64)); p["head.bias"].copy_(tensor(B2, dtype: ScalarType.Float64));
        return m;
    }

    static Tensor X(double[,] rows) => tensor(rows, dtype: ScalarType.Float64);

    static double[] Relu(double[,] w, double[] b, double[] x) =>
        Enumerable.Range(0, b.Length).Select(o => Math.Max(0, b[o] + Enumerable.Range(0, x.Length).Sum(d => w[o, d] * x[d]))).ToArray();

    static readonly double[,] Inputs = { { 1.0, 0.5, -0.3 }, { -0.4, 1.1, 0.7 }, { 0.9, -0.8, 0.2 }, { 0.3, 0.3, 1.4 }, { -1.2, 0.1, -0.5 }, { 0.6, 1.3, -1.0 } };

    [Fact]
    public void Activations_of_every_hidden_layer_equal_an_explicit_float64_forward_pass()
    {
        using var m = Model();
        var acts = HiddenLayerPruning.Activations(m, X(Inputs));
        Assert.Equal(2, acts.Length);
        for (int i = 0; i < Inputs.GetLength(0); i++)
        {
            var x = Enumerable.Range(0, 3).Select(d => Inputs[i, d]).ToArray();
            var h1 = Relu(W0, B0, x);
            var h2 = Relu(W1, B1, h1);
            for (int j = 0; j < 4; j++) Assert.Equal(h1[j], acts[0][i, j].item<double>(), 12);
            Assert.Equal(h2[0], acts[1][i, 0].item<double>(), 12);
        }
    }

    [Fact]
    public void Removing_a_duplicated_unit_with_the_refit_leaves_every_output_unchanged()
    {
        using var m = Model();
        // forget inputs excite the duplicated units 2 and 3 far more than the reference inputs do: they score highest
        // (a tie, broken towards the lower index), so a share of 1/4 removes unit 2 of the first layer and none of the second
        var forget = X(new double[,] { { 2.0, 1.0, 0.0 }, { 1.8, 1.2, -0.5 } });
        var reference = X(new double[,] { { -1.0, 1.0, 1.0 }, { 0.0, 1.0, 0.5 }, { -0.5, 0.2, 1.0 }, { 0.1, 0.1, 0.1 } });
        var before = m.forward(X(Inputs)).detach().clone();
        var removed = HiddenLayerPruning.PruneAndRefit(m, forget, reference, X(Inputs), share: 0.25);
        Assert.Equal([2], removed[0]);
        Assert.Empty(removed[1]);
        var p = m.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        Assert.Equal(0.0, p["body.linear1.weight"][0, 2].item<double>());
        // unit 3 carries what unit 2 did, so the network's outputs are reproduced on inputs not used by the re-fit as well
        var fresh = X(new double[,] { { 0.2, -0.7, 0.9 }, { 1.5, 0.4, 0.4 } });
        using var original = Model();
        Assert.Equal(0.0, (m.forward(X(Inputs)) - before).abs().max().item<double>(), 9);
        Assert.Equal(0.0, (m.forward(fresh) - original.forward(fresh)).abs().max().item<double>(), 9);
    }

    [Fact]
    public void A_share_outside_zero_one_is_rejected()
    {
        using var m = Model();
        var x = X(Inputs);
        Assert.Equal("share", Assert.Throws<ArgumentOutOfRangeException>(() => HiddenLayerPruning.PruneAndRefit(m, x, x, x, 1.0)).ParamName);
        Assert.Equal("share", Assert.Throws<ArgumentOutOfRangeException>(() => HiddenLayerPruning.PruneAndRefit(m, x, x, x, -0.1)).ParamName);
    }
}
