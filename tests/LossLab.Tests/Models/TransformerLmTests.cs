using LossLab.Training;
using LossLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Models;

[Collection(GlobalRandomCollection.Name)]
public class TransformerLmTests
{
    [Theory]
    [InlineData(50, 16, 32, 2, 4, 0, false)]
    [InlineData(11, 8, 24, 3, 3, 40, false)]
    [InlineData(50, 16, 32, 2, 4, 0, true)]
    [InlineData(7, 4, 16, 0, 2, 0, false)]
    public void Parameter_counts_match_the_hand_formula(int v, int t, int d, int l, int h, int mlp, bool qkNorm)
    {
        var lm = new TransformerLm(new TransformerConfig(v, t, d, l, h, mlp, qkNorm));
        int f = mlp > 0 ? mlp : 4 * d, dh = d / h;
        // per block: LN₁ 2d, qkv 3d² + 3d, out d² + d, LN₂ 2d, W₁ df + f, W₂ fd + d, QK-norm 2·2·d_h
        long block = 2 * d + (3L * d * d + 3 * d) + (d * d + d) + 2 * d + (d * f + f) + (f * d + d) + (qkNorm ? 4 * dh : 0);
        long nonEmbedding = l * block + 2 * d;   // + final LayerNorm
        Assert.Equal(nonEmbedding, lm.NonEmbeddingParameterCount);
        Assert.Equal(nonEmbedding + v * d + t * d + v * d, lm.ParameterCount);
        if (mlp == 0 && !qkNorm) Assert.Equal(l * (12L * d * d + 13 * d) + 2 * d, lm.NonEmbeddingParameterCount);
    }

    [Fact]
    public void Logits_have_one_row_per_position_and_features_the_model_width()
    {
        var lm = new TransformerLm(new TransformerConfig(Vocabulary: 20, Context: 10, Width: 16, Depth: 2, Heads: 2));
        using var tokens = randint(0, 20, [3, 7], dtype: ScalarType.Int64);
        Assert.Equal(new long[] { 3, 7, 20 }, lm.forward(tokens).shape);
        Assert.Equal(new long[] { 3, 7, 16 }, lm.Features(tokens).shape);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Changing_a_future_token_leaves_earlier_logits_unchanged(bool qkNorm)
    {
        Seeds.Fix(4);
        var lm = new TransformerLm(new TransformerConfig(30, 12, 32, 2, 4, QkNorm: qkNorm));
        lm.to(ScalarType.Float64);
        lm.eval();
        using var a = randint(0, 30, [2, 12], dtype: ScalarType.Int64);
        using var b = a.clone();
        const int changed = 7;
        b[0, changed] = (a[0, changed] + 1) % 30;
        b[1, changed] = (a[1, changed] + 5) % 30;
        using var la = lm.forward(a);
        using var lb = lm.forward(b);
        for (int t = 0; t < 12; t++)
        {
            double diff = (la.select(1, t) - lb.select(1, t)).abs().max().item<double>();
            if (t < changed) Assert.Equal(0.0, diff);          // positions before the change see the same prefix
            else Assert.True(diff > 1e-6, $"position {t} should depend on token {changed}");
        }
    }

    [Fact]
    public void Loss_is_the_mean_next_token_cross_entropy_plus_the_z_loss()
    {
        Seeds.Fix(6);
        var lm = new TransformerLm(new TransformerConfig(9, 5, 16, 1, 2));
        lm.to(ScalarType.Float64);
        using var tokens = randint(0, 9, [2, 5], dtype: ScalarType.Int64);
        using var targets = randint(0, 9, [2, 5], dtype: ScalarType.Int64);
        using var logits = lm.forward(tokens);
        // explicit float64 loops: CE = mean over positions of logZ − logit[target]; z = mean (logZ)²
        double ce = 0, z = 0;
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < 5; t++)
            {
                var row = logits[b, t].data<double>().ToArray();
                double m = row.Max(), logZ = m + Math.Log(row.Sum(r => Math.Exp(r - m)));
                ce += (logZ - row[(int)targets[b, t].item<long>()]) / 10;
                z += logZ * logZ / 10;
            }
        Assert.Equal(ce, lm.Loss(tokens, targets).item<double>(), 10);
        Assert.Equal(ce + 1e-2 * z, lm.Loss(tokens, targets, zLossWeight: 1e-2).item<double>(), 10);
    }

    [Fact]
    public void A_few_steps_lower_the_loss_on_a_fixed_batch()
    {
        Seeds.Fix(8);
        var lm = new TransformerLm(new TransformerConfig(16, 8, 16, 1, 2));
        using var tokens = randint(0, 16, [4, 9], dtype: ScalarType.Int64);
        using var inputs = tokens.narrow(1, 0, 8);
        using var targets = tokens.narrow(1, 1, 8);
        var trainer = new Trainer(lm, optim.Adam(lm.parameters(), 1e-2), b => lm.Loss(b.Inputs, b.Targets));
        double first = trainer.TrainStep(inputs, targets), last = first;
        for (int i = 0; i < 10; i++) last = trainer.TrainStep(inputs, targets);
        Assert.True(last < 0.8 * first, $"loss went from {first} to {last}");
    }

    [Fact]
    public void Attention_logits_can_be_tracked_per_block()
    {
        var lm = new TransformerLm(new TransformerConfig(10, 6, 16, 2, 2));
        foreach (var block in lm.Blocks) block.TrackLogits = true;
        using var tokens = randint(0, 10, [2, 6], dtype: ScalarType.Int64);
        using var _ = lm.forward(tokens);
        Assert.All(lm.Blocks, b => Assert.True(double.IsFinite(b.LastMaxAttentionLogit)));
    }

    [Fact]
    public void Bad_configurations_and_inputs_are_rejected()
    {
        Assert.Equal("Heads", Assert.Throws<ArgumentOutOfRangeException>(() => new TransformerLm(new TransformerConfig(10, 4, 30, 1, 4))).ParamName);
        Assert.Equal("Vocabulary", Assert.Throws<ArgumentOutOfRangeException>(() => new TransformerLm(new TransformerConfig(0, 4))).ParamName);
        Assert.Equal("Context", Assert.Throws<ArgumentOutOfRangeException>(() => new TransformerLm(new TransformerConfig(5, 0))).ParamName);
        var lm = new TransformerLm(new TransformerConfig(10, 4, 16, 1, 2));
        using var tooLong = zeros(1, 5, dtype: ScalarType.Int64);
        Assert.Contains("[1, 5]", Assert.Throws<ArgumentException>(() => lm.forward(tooLong)).Message);
        using var floats = zeros(1, 3);
        Assert.Equal("tokens", Assert.Throws<ArgumentException>(() => lm.forward(floats)).ParamName);
        using var ok = zeros(1, 3, dtype: ScalarType.Int64);
        using var wrongTargets = zeros(1, 2, dtype: ScalarType.Int64);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => lm.Loss(ok, wrongTargets)).ParamName);
    }
}
