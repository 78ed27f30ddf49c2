using LossLab.Losses.Margins;
using TorchSharp;
using TorchSharp.Modules;
using static LossLab.Tests.Losses.Pairs.PairReference;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses.Margins;

internal static class HeadReference
{
    public static readonly long[] Labels = [0, 2, 1, 2, 3];

    public static void SetWeights(MarginSoftmaxLoss head, double[][] w)
    {
        using var _ = no_grad();
        head.Weight.copy_(ToTensor(w, head.Weight.dtype));
    }

    /// <summary>Mean over rows of CE(s·logits) where the target cosine goes through f.</summary>
    public static double CrossEntropy(double[][] x, double[][] w, long[] y, double s, Func<double, int, double> target)
    {
        double total = 0;
        for (int i = 0; i < x.Length; i++)
        {
            var logits = Enumerable.Range(0, w.Length).Select(c => s * (c == y[i] ? target(Cosine(x[i], w[c]), i) : Cosine(x[i], w[c]))).ToArray();
            total += LogSumExp(logits) - logits[y[i]];
        }
        return total / x.Length;
    }

    /// <summary>Central differences of <paramref name="loss"/> with respect to a parameter, against autograd (float64).</summary>
    public static void ParameterGradientMatches(Parameter p, Func<Tensor> loss, double h = 1e-6, double tol = 1e-6)
    {
        p.grad?.zero_();
        loss().backward();
        var analytic = p.grad!.data<double>().ToArray();
        var flat = p.detach().clone().flatten();
        for (int k = 0; k < analytic.Length; k++)
        {
            double At(double delta)
            {
                using var _ = no_grad();
                var v = flat.clone(); v[k] = v[k] + delta;
                p.copy_(v.reshape(p.shape));
                return Value(loss());
            }
            var numeric = (At(h) - At(-h)) / (2 * h);
            At(0);
            Assert.True(Math.Abs(numeric - analytic[k]) <= tol * Math.Max(1, Math.Abs(numeric)), $"dW[{k}]: analytic {analytic[k]}, numeric {numeric}");
        }
    }
}

public class MarginHeadTests
{
    static readonly double[][] x = RandomEmbeddings(5, 3, 201);
    static readonly double[][] w = RandomEmbeddings(4, 3, 202);
    static readonly long[] y = HeadReference.Labels;

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void NormFace_and_CosFace_match_cross_entropy_loops(ScalarType dtype)
    {
        var norm = new NormFaceLoss(4, 3, dtype: dtype); HeadReference.SetWeights(norm, w);
        Close(HeadReference.CrossEntropy(x, w, y, 20, (c, _) => c), Value(norm.call(ToTensor(x, dtype), Labels(y))), dtype);
        var cos = new CosFaceLoss(4, 3, 0.35, 30, dtype: dtype); HeadReference.SetWeights(cos, w);
        Close(HeadReference.CrossEntropy(x, w, y, 30, (c, _) => c - 0.35), Value(cos.call(ToTensor(x, dtype), Labels(y))), dtype);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ArcFace_matches_its_definition_including_the_monotone_fallback(bool easy)
    {
        // a row pointing away from its class weight makes θ_y > π − m (fallback) and cos θ_y < 0 (easy margin).
        var xs = x.Append(w[1].Select(v => -v + 0.01).ToArray()).ToArray();
        long[] ys = [.. y, 1];
        const double m = 0.5;
        double Target(double c, int _)
        {
            var theta = Math.Acos(c);
            if (easy) return c > 0 ? Math.Cos(theta + m) : c;
            return theta <= Math.PI - m ? Math.Cos(theta + m) : c - m * Math.Sin(m);
        }
        Assert.True(Math.Acos(Cosine(xs[5], w[1])) > Math.PI - m);
        var arc = new ArcFaceLoss(4, 3, m, 16, easy, dtype: ScalarType.Float64); HeadReference.SetWeights(arc, w);
        Close(HeadReference.CrossEntropy(xs, w, ys, 16, Target), Value(arc.call(ToTensor(xs, ScalarType.Float64), Labels(ys))), ScalarType.Float64);
        Assert.Equal(28.6 * Math.PI / 180, new ArcFaceLoss(4, 3).Margin, 12);
    }

    [Fact]
    public void Gradients_match_finite_differences()
    {
        var arc = new ArcFaceLoss(4, 3, 0.5, 8, dtype: ScalarType.Float64); HeadReference.SetWeights(arc, w);
        GradientMatchesFiniteDifferences(x, e => arc.call(e, Labels(y)));
        HeadReference.ParameterGradientMatches(arc.Weight, () => arc.call(ToTensor(x, ScalarType.Float64), Labels(y)));
        var cos = new CosFaceLoss(4, 3, 0.35, 8, dtype: ScalarType.Float64); HeadReference.SetWeights(cos, w);
        GradientMatchesFiniteDifferences(x, e => cos.call(e, Labels(y)));
    }

    [Fact]
    public void Sample_weights_and_reductions_apply_to_per_sample_losses()
    {
        var cos = new CosFaceLoss(4, 3, 0.2, 10, nn.Reduction.Sum, ScalarType.Float64); HeadReference.SetWeights(cos, w);
        var e = ToTensor(x, ScalarType.Float64);
        var none = new CosFaceLoss(4, 3, 0.2, 10, nn.Reduction.None, ScalarType.Float64); HeadReference.SetWeights(none, w);
        var per = none.call(e, Labels(y)).data<double>().ToArray();
        double[] weights = [1, 0, 2, 0.5, 1];
        Close(per.Zip(weights, (a, b) => a * b).Sum(), Value(cos.Forward(e, Labels(y), tensor(weights))), ScalarType.Float64);
        Close(per.Sum(), Value(cos.call(e, Labels(y))), ScalarType.Float64);
        Assert.Equal("sampleWeights", Assert.Throws<ArgumentException>(() => cos.Forward(e, Labels(y), tensor(new double[] { 1, 2 }))).ParamName);
    }

    [Theory]
    [InlineData(new[] { 1.0, 0, 2, 0.5, 1 })]
    [InlineData(new[] { 3.0, 3, 3, 3, 3 })]
    [InlineData(new[] { 0.0, 0, 0, 0, 0 })]
    public void Weighted_mean_divides_by_the_total_weight_like_every_other_loss(double[] weights)
    {
        // float64 loop: CosFace per-sample ℓ_i = LSE_c(s·z_ic) − s·z_iy, z_iy = cos θ_iy − m; mean = Σ s_i ℓ_i / Σ s_i
        const double m = 0.2, s = 10;
        double weighted = 0, total = weights.Sum();
        for (int i = 0; i < x.Length; i++)
        {
            var logits = Enumerable.Range(0, w.Length).Select(c => s * (Cosine(x[i], w[c]) - (c == y[i] ? m : 0))).ToArray();
            weighted += weights[i] * (LogSumExp(logits) - logits[y[i]]);
        }
        double expected = total > 0 ? weighted / total : 0;
        var head = new CosFaceLoss(4, 3, m, s, nn.Reduction.Mean, ScalarType.Float64); HeadReference.SetWeights(head, w);
        var e = ToTensor(x, ScalarType.Float64).requires_grad_();
        var loss = head.Forward(e, Labels(y), tensor(weights));
        Close(expected, Value(loss), ScalarType.Float64);
        // equal weights give the unweighted mean, as torch's weighted cross-entropy does
        if (weights.Distinct().Count() == 1 && weights[0] > 0) Close(Value(head.call(e, Labels(y))), Value(loss), ScalarType.Float64);
        loss.backward();
        var grad = e.grad!.data<double>().ToArray();
        Assert.All(grad, g => Assert.True(double.IsFinite(g)));
        if (total == 0) Assert.All(grad, g => Assert.Equal(0.0, g));
        // float32 weights on float64 embeddings, and a check of their dtype
        Close(expected, Value(head.Forward(e, Labels(y), tensor(weights).to_type(ScalarType.Float32))), ScalarType.Float32);
        Assert.Equal("sampleWeights", Assert.Throws<ArgumentException>(() => head.Forward(e, Labels(y), tensor(new long[] { 1, 1, 1, 1, 1 }))).ParamName);
    }

    [Fact]
    public void Heads_reject_bad_inputs_and_hyperparameters()
    {
        var head = new CosFaceLoss(4, 3);
        var e = ToTensor(x, ScalarType.Float32);
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => head.call(e, Labels(0, 1, 2, 3, 4))).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => head.call(e, Labels(0, 1))).ParamName);
        Assert.Equal("embeddings", Assert.Throws<ArgumentException>(() => head.call(ToTensor(RandomEmbeddings(5, 2, 1), ScalarType.Float32), Labels(y))).ParamName);
        Assert.Equal("numClasses", Assert.Throws<ArgumentOutOfRangeException>(() => new NormFaceLoss(1, 3)).ParamName);
        Assert.Equal("scale", Assert.Throws<ArgumentOutOfRangeException>(() => new NormFaceLoss(3, 3, 0)).ParamName);
        Assert.Equal("margin", Assert.Throws<ArgumentOutOfRangeException>(() => new CosFaceLoss(3, 3, -0.1)).ParamName);
        Assert.Equal("margin", Assert.Throws<ArgumentOutOfRangeException>(() => new ArcFaceLoss(3, 3, 2)).ParamName);
        Assert.Equal("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new AdaFaceLoss(3, 3, momentum: 0)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => new SFaceLoss(3, 3, k: 0)).ParamName);
        Assert.Equal("whisker", Assert.Throws<ArgumentOutOfRangeException>(() => new UnpgLoss(head, 0)).ParamName);
    }
}

public class AdaFaceLossTests
{
    static readonly double[][] w = RandomEmbeddings(4, 3, 212);
    static readonly long[] y = HeadReference.Labels;

    [Fact]
    public void Norm_statistics_follow_the_ema_and_the_margin_matches_its_definition()
    {
        var rng = new Random(211);
        var x = RandomEmbeddings(5, 3, 211).Select(r => r.Select(v => v * (1 + 30 * rng.NextDouble())).ToArray()).ToArray();
        var head = new AdaFaceLoss(4, 3, 0.4, 0.333, 64, 0.01, dtype: ScalarType.Float64); HeadReference.SetWeights(head, w);
        var norms = x.Select(Norm).ToArray();
        var mean = norms.Average();
        var std = Math.Sqrt(norms.Sum(n => (n - mean) * (n - mean)) / (norms.Length - 1));
        var mu = 0.99 * 20 + 0.01 * mean;
        var sigma = 0.99 * 100 + 0.01 * std;
        const double eps = 1e-3, m = 0.4;
        double Target(double c, int i)
        {
            var zhat = Math.Clamp(0.333 * (norms[i] - mu) / (sigma + eps), -1, 1);
            var angle = Math.Clamp(Math.Acos(Math.Clamp(c, -1 + eps, 1 - eps)) - m * zhat, eps, Math.PI - eps);
            return Math.Cos(angle) - (m * zhat + m);
        }
        // non-target cosines are clamped to [−1 + ε, 1 − ε]: the random data stay inside, so the plain loop applies.
        var expected = HeadReference.CrossEntropy(x, w, y, 64, Target);
        var value = Value(head.call(ToTensor(x, ScalarType.Float64), Labels(y)));
        Assert.Equal(mu, head.RunningMean, 12);
        Assert.Equal(sigma, head.RunningStd, 12);
        Close(expected, value, ScalarType.Float64);

        head.eval();
        head.call(ToTensor(x, ScalarType.Float64), Labels(y));
        Assert.Equal(mu, head.RunningMean, 12);
        HeadReference.ParameterGradientMatches(head.Weight, () => head.call(ToTensor(x, ScalarType.Float64), Labels(y)));
    }
}

public class SFaceLossTests
{
    static readonly double[][] x = RandomEmbeddings(5, 3, 221);
    static readonly double[][] w = RandomEmbeddings(4, 3, 222);
    static readonly long[] y = HeadReference.Labels;

    static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Matches_the_sigmoid_reweighted_definition(ScalarType dtype)
    {
        const double s = 64, k = 10, a = 0.8, b = 1.22;
        var expected = Enumerable.Range(0, 5).Average(i => Enumerable.Range(0, 4).Sum(c =>
        {
            var cos = Cosine(x[i], w[c]); var theta = Math.Acos(cos);
            return c == y[i] ? -Sigmoid(k * (theta - a)) * s * cos : Sigmoid(-k * (theta - b)) * s * cos;
        }));
        var head = new SFaceLoss(4, 3, s, k, a, b, dtype: dtype); HeadReference.SetWeights(head, w);
        Close(expected, Value(head.call(ToTensor(x, dtype), Labels(y))), dtype);
    }

    [Fact]
    public void Gradient_treats_the_sigmoid_weights_as_constants()
    {
        const double s = 64, k = 10, a = 0.8, b = 1.22;
        var head = new SFaceLoss(4, 3, s, k, a, b, dtype: ScalarType.Float64); HeadReference.SetWeights(head, w);
        var theta0 = head.Cosine(ToTensor(x, ScalarType.Float64)).detach().acos();
        var isTarget = nn.functional.one_hot(Labels(y), 4).to_type(ScalarType.Bool);
        var frozen = where(isTarget, -sigmoid(k * (theta0 - a)), sigmoid(-k * (theta0 - b))) * s;
        Tensor Frozen(Tensor e) => (frozen * head.Cosine(e)).sum(1).mean();
        var e1 = ToTensor(x, ScalarType.Float64, requiresGrad: true);
        head.call(e1, Labels(y)).backward();
        var e2 = ToTensor(x, ScalarType.Float64, requiresGrad: true);
        Frozen(e2).backward();
        Assert.Equal(e2.grad!.data<double>().ToArray(), e1.grad!.data<double>().ToArray(), new ToleranceComparer(1e-10));
        GradientMatchesFiniteDifferences(x, Frozen);
    }

    sealed class ToleranceComparer(double tol) : IEqualityComparer<double>
    {
        public bool Equals(double p, double q) => Math.Abs(p - q) <= tol * Math.Max(1, Math.Abs(p));
        public int GetHashCode(double v) => 0;
    }
}

public class UnpgLossTests
{
    [Fact]
    public void Appends_box_and_whisker_filtered_batch_negatives_to_every_row()
    {
        var x = RandomEmbeddings(8, 3, 231);
        var w = RandomEmbeddings(4, 3, 232);
        long[] y = [0, 1, 2, 3, 0, 1, 2, 3];
        const double s = 10, m = 0.2;
        var sn = new List<double>();
        for (int i = 0; i < 8; i++) for (int j = i + 1; j < 8; j++) if (y[i] != y[j]) sn.Add(Cosine(x[i], x[j]));
        sn.Sort();
        double q1 = sn[(int)(0.25 * sn.Count)], q3 = sn[(int)(0.75 * sn.Count)], iqr = q3 - q1;
        var kept = sn.Where(v => v >= q1 - 0.5 * iqr && v <= q3 + 0.5 * iqr).ToArray();
        Assert.True(kept.Length < sn.Count);     // the whisker drops something with w = 0.5 on this batch
        double total = 0;
        for (int i = 0; i < 8; i++)
        {
            var logits = Enumerable.Range(0, 4).Select(c => s * (Cosine(x[i], w[c]) - (c == y[i] ? m : 0))).Concat(kept.Select(v => s * v)).ToArray();
            total += LogSumExp(logits) - logits[y[i]];
        }
        var head = new CosFaceLoss(4, 3, m, s, dtype: ScalarType.Float64); HeadReference.SetWeights(head, w);
        var unpg = new UnpgLoss(head, 0.5);
        Assert.Single(unpg.parameters());
        Close(total / 8, Value(unpg.call(ToTensor(x, ScalarType.Float64), Labels(y))), ScalarType.Float64);
        GradientMatchesFiniteDifferences(x, e => unpg.call(e, Labels(y)));
    }
}
