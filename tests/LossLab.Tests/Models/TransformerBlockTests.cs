using LossLab.Training;
using LossLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Models;

[Collection(GlobalRandomCollection.Name)]
public class TransformerBlockTests
{
    static double[] Values(Tensor t) => t.detach().to_type(ScalarType.Float64).cpu().data<double>().ToArray();

    /// <summary>Layer norm of v (biased variance, ε = 1e-5) with gain and bias.</summary>
    static double[] LayerNorm(double[] v, double[] gain, double[] bias)
    {
        double mean = v.Average(), variance = v.Select(a => (a - mean) * (a - mean)).Average();
        return v.Select((a, i) => (a - mean) / Math.Sqrt(variance + 1e-5) * gain[i] + bias[i]).ToArray();
    }

    /// <summary>The largest attention logit q_i·k_j/√d_h over batch, head and query i, with keys j ≤ i only
    /// (<paramref name="causal"/>) or over all j; an explicit float64 loop over the block's parameters.</summary>
    static double MaxLogit(TransformerBlock block, double[,,] x, int heads, bool qkNorm, bool causal)
    {
        var p = block.named_parameters().ToDictionary(np => np.name, np => Values(np.parameter));
        int b = x.GetLength(0), t = x.GetLength(1), d = x.GetLength(2), dh = d / heads;
        double[] w = p["qkv.weight"], bias = p["qkv.bias"];   // (3d, d), rows: q of every head, then k, then v
        double best = double.NegativeInfinity;
        for (int n = 0; n < b; n++)
        {
            var q = new double[t][]; var k = new double[t][];
            for (int s = 0; s < t; s++)
            {
                var h = LayerNorm(Enumerable.Range(0, d).Select(c => x[n, s, c]).ToArray(), p["norm1.weight"], p["norm1.bias"]);
                var z = new double[3 * d];
                for (int r = 0; r < 3 * d; r++) { z[r] = bias[r]; for (int c = 0; c < d; c++) z[r] += w[r * d + c] * h[c]; }
                q[s] = z[..d]; k[s] = z[d..(2 * d)];
            }
            for (int head = 0; head < heads; head++)
                for (int i = 0; i < t; i++)
                    for (int j = 0; j < t; j++)
                    {
                        if (causal && j > i) continue;
                        var qi = q[i][(head * dh)..((head + 1) * dh)];
                        var kj = k[j][(head * dh)..((head + 1) * dh)];
                        if (qkNorm)
                        {
                            qi = LayerNorm(qi, p["queryNorm.weight"], p["queryNorm.bias"]);
                            kj = LayerNorm(kj, p["keyNorm.weight"], p["keyNorm.bias"]);
                        }
                        double s = 0;
                        for (int c = 0; c < dh; c++) s += qi[c] * kj[c];
                        best = Math.Max(best, s / Math.Sqrt(dh));
                    }
        }
        return best;
    }

    [Theory]
    [InlineData(false, 6)]
    [InlineData(true, 7)]
    public void Tracked_attention_logit_is_the_largest_over_allowed_positions_only(bool qkNorm, int seed)
    {
        Seeds.Fix(seed);
        const int heads = 2;
        var block = new TransformerBlock(new TransformerConfig(Vocabulary: 5, Context: 6, Width: 8, Heads: heads, QkNorm: qkNorm));
        block.to(ScalarType.Float64);
        using (no_grad())
        {
            // move the weights off their initialisation (and the layer-norm gains off 1) so the reference must apply them
            // all; at these seeds a masked future position holds the overall largest logit
            foreach (var (name, parameter) in block.named_parameters())
                if (name.StartsWith("qkv") || name.StartsWith("norm1") || name.StartsWith("queryNorm") || name.StartsWith("keyNorm"))
                    parameter.add_(rand_like(parameter).sub_(0.5));
        }
        block.TrackLogits = true;
        var x = new double[2, 6, 8];
        var rng = new Random(seed);
        for (int n = 0; n < 2; n++) for (int s = 0; s < 6; s++) for (int c = 0; c < 8; c++) x[n, s, c] = 2 * rng.NextDouble() - 1;
        using var input = tensor(x, dtype: ScalarType.Float64);
        using var output = block.forward(input);

        double allowed = MaxLogit(block, x, heads, qkNorm, causal: true);
        double everywhere = MaxLogit(block, x, heads, qkNorm, causal: false);
        Assert.True(everywhere > allowed + 1e-3, $"the masked future positions must hold the overall maximum here ({everywhere} vs {allowed})");
        Assert.Equal(allowed, block.LastMaxAttentionLogit, 1e-10);
    }
}
