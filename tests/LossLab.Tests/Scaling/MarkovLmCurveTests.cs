using LossLab.Data;
using LossLab.Scaling;
using Xunit.Abstractions;

namespace LossLab.Tests.Scaling;

public class MarkovLmCurveTests(ITestOutputHelper output)
{
    static readonly MarkovLmSettings Small = new(BatchSize: 64, EvaluationTokens: 8192);

    [Fact]
    public void Records_the_schedule_and_the_evaluation_steps()
    {
        var chain = new ZipfMarkovChain(16, 1.1, 4, 1, seed: 3);
        Func<long, double> schedule = i => 1e-3 * (1 + i % 3);
        var curve = MarkovLmCurve.Train([chain], width: 8, steps: 25, schedule, seed: 1, evaluateEvery: 10, Small);
        Assert.Equal(25, curve.Rates.Count);
        for (int i = 0; i < 25; i++) Assert.Equal(1e-3 * (1 + i % 3), curve.Rates[i]);
        Assert.Equal(new[] { 10, 20, 25 }, curve.EvaluationSteps);
        Assert.Single(curve.HeldOut);
        Assert.Equal(3, curve.HeldOut[0].Count);
        Assert.Equal(25L * 64, curve.Tokens(64));
        // Non-embedding parameters: k·e·h + h + h·V + V with k = 2, e = 16, h = 8, V = 16.
        Assert.Equal(2 * 16 * 8 + 8 + 8 * 16 + 16, curve.Parameters);
    }

    [Fact]
    public void A_zero_rate_leaves_the_held_out_loss_unchanged()
    {
        // AdamW with rate 0 and no weight decay does not move the weights, and the held-out set is fixed, so every
        // evaluation returns the same mean.
        var chain = new ZipfMarkovChain(16, 1.1, 4, 1, seed: 3);
        var curve = MarkovLmCurve.Train([chain], 8, 12, _ => 0.0, seed: 2, evaluateEvery: 4, Small);
        foreach (var v in curve.HeldOut[0]) Assert.Equal(curve.HeldOut[0][0], v, 12);
    }

    [Fact]
    public void Training_lowers_the_loss_towards_but_not_below_the_entropy_rate_of_the_training_chain()
    {
        var a = new ZipfMarkovChain(16, 1.1, 4, 1, seed: 3);
        var b = new ZipfMarkovChain(16, 1.1, 4, 1, seed: 4);
        var curve = MarkovLmCurve.Train([a], 32, 300, _ => 3e-3, seed: 1, evaluateEvery: 100, Small, evaluationChains: [a, b]);
        output.WriteLine($"H∞(a) {a.EntropyRate:F4}, H∞(b) {b.EntropyRate:F4}; on a: {string.Join(", ", curve.HeldOut[0].Select(v => v.ToString("F4")))}; on b: {curve.Final(1):F4}");
        // 8,192 held-out tokens: standard error of the mean about 0.015 nats; Gibbs' inequality bounds the expectation by H∞.
        Assert.True(curve.Final(0) > a.EntropyRate - 0.05, $"{curve.Final(0)} below H∞ = {a.EntropyRate}");
        Assert.True(curve.Final(0) < a.EntropyRate + 0.25, $"{curve.Final(0)} far above H∞ = {a.EntropyRate}");
        Assert.True(curve.HeldOut[0][0] > curve.Final(0), "loss did not fall");
        // A chain with other transitions is predicted much worse than the training chain.
        Assert.True(curve.Final(1) > b.EntropyRate + 0.5, $"{curve.Final(1)} on the unseen chain");
    }

    [Fact]
    public void A_mixture_is_learned_on_both_chains()
    {
        var a = new ZipfMarkovChain(16, 1.1, 4, 1, seed: 3);
        var b = new ZipfMarkovChain(16, 1.1, 4, 1, seed: 4);
        var onlyA = MarkovLmCurve.Train([a, b], 32, 200, _ => 3e-3, seed: 1, evaluateEvery: 200, Small, trainWeights: [1, 1e-9]);
        var both = MarkovLmCurve.Train([a, b], 32, 200, _ => 3e-3, seed: 1, evaluateEvery: 200, Small);
        output.WriteLine($"only a: {onlyA.Final(0):F4} / {onlyA.Final(1):F4}; both: {both.Final(0):F4} / {both.Final(1):F4}");
        Assert.True(both.Final(1) < onlyA.Final(1) - 0.3, "training on b did not help on b");
        Assert.True(both.Final(0) > a.EntropyRate - 0.05 && both.Final(1) > b.EntropyRate - 0.05);
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        var chain = new ZipfMarkovChain(16, 1.1, 4, 1);
        var other = new ZipfMarkovChain(8, 1.1, 4, 1);
        Func<long, double> c = _ => 1e-3;
        Assert.Equal("trainChains", Assert.Throws<ArgumentException>(() => MarkovLmCurve.Train([], 4, 10, c, 0, 5)).ParamName);
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => MarkovLmCurve.Train([chain], 4, 0, c, 0, 5)).ParamName);
        Assert.Equal("evaluateEvery", Assert.Throws<ArgumentOutOfRangeException>(() => MarkovLmCurve.Train([chain], 4, 10, c, 0, 0)).ParamName);
        Assert.Equal("evaluationChains", Assert.Throws<ArgumentException>(() => MarkovLmCurve.Train([chain], 4, 10, c, 0, 5, evaluationChains: [])).ParamName);
        Assert.Equal("evaluationChains", Assert.Throws<ArgumentException>(() => MarkovLmCurve.Train([chain], 4, 10, c, 0, 5, evaluationChains: [other])).ParamName);
        Assert.Equal("trainChains", Assert.Throws<ArgumentException>(() => MarkovLmCurve.Train([chain, other], 4, 10, c, 0, 5)).ParamName);
        Assert.Equal("settings", Assert.Throws<ArgumentException>(() => MarkovLmCurve.Train([new ZipfMarkovChain(8, 1, 2, 2)], 4, 10, c, 0, 5, new MarkovLmSettings(Context: 1))).ParamName);
        Assert.Equal("trainWeights", Assert.Throws<ArgumentException>(() => MarkovLmCurve.Train([chain], 4, 10, c, 0, 5, trainWeights: [1, 2])).ParamName);
        Assert.Equal("trainWeights", Assert.Throws<ArgumentException>(() => MarkovLmCurve.Train([chain, chain], 4, 10, c, 0, 5, trainWeights: [1, -1])).ParamName);
        Assert.Equal("schedule", Assert.Throws<ArgumentOutOfRangeException>(() => MarkovLmCurve.Train([chain], 4, 10, i => i == 3 ? double.NaN : 1e-3, 0, 5)).ParamName);
    }
    [Fact]
    public void The_held_out_loss_is_the_mean_token_cross_entropy_of_an_explicit_float64_loop()
    {
        const int m = 3000, v = 128;
        var rng = new Random(5);
        var z = new float[m * v];
        var y = new long[m];
        for (int i = 0; i < z.Length; i++) z[i] = (float)(6 * (rng.NextDouble() - 0.5));
        for (int i = 0; i < m; i++) y[i] = rng.Next(v);
        double total = 0;
        for (int i = 0; i < m; i++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int k = 0; k < v; k++) max = Math.Max(max, z[i * v + k]);
            for (int k = 0; k < v; k++) sum += Math.Exp(z[i * v + k] - max);
            total += max + Math.Log(sum) - z[i * v + y[i]];
        }
        double expected = total / m;
        using var logits = TorchSharp.torch.tensor(z, [m, v]);
        using var targets = TorchSharp.torch.tensor(y);
        double actual = MarkovLmCurve.HeldOutLoss(logits, targets);
        Assert.True(Math.Abs(actual - expected) <= 1e-6 * expected, $"{actual:R} against {expected:R}");
        // The same tokens in two chunks give the same mean: each token's loss does not depend on the others.
        using var a = logits[..1000];
        using var b = logits[1000..];
        using var ya = targets[..1000];
        using var yb = targets[1000..];
        double chunked = (1000 * MarkovLmCurve.HeldOutLoss(a, ya) + 2000 * MarkovLmCurve.HeldOutLoss(b, yb)) / m;
        Assert.Equal(actual, chunked, 12);
    }
}
