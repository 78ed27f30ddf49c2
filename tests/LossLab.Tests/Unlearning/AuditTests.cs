using LossLab.Data;
using LossLab.Unlearning;
using TorchSharp;
using static TorchSharp.torch;
using static LossLab.Tests.Unlearning.Tiny;

namespace LossLab.Tests.Unlearning;

public class AuditTests
{
    static double Gauss(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    static double PairAuc(double[] pos, double[] neg)
    {
        double s = 0;
        foreach (var p in pos) foreach (var q in neg) s += p > q ? 1 : p == q ? 0.5 : 0;
        return s / (pos.Length * neg.Length);
    }

    [Fact]
    public void Auc_equals_the_pairwise_count_with_ties_as_halves()
    {
        double[] pos = [0.9, 0.4, 0.4, 0.7, 0.1], neg = [0.4, 0.2, 0.8, 0.1];
        Assert.Equal(PairAuc(pos, neg), MembershipInference.Auc(pos, neg), 1e-15);
        var rng = new Random(2);
        var p2 = Enumerable.Range(0, 300).Select(_ => Math.Round(rng.NextDouble(), 2)).ToArray();
        var n2 = Enumerable.Range(0, 200).Select(_ => Math.Round(rng.NextDouble() * 0.8, 2)).ToArray();
        Assert.Equal(PairAuc(p2, n2), MembershipInference.Auc(p2, n2), 1e-12);
    }

    [Fact]
    public void Loss_MIA_AUC_is_one_half_for_one_distribution_and_one_when_separable()
    {
        var rng = new Random(3);
        var members = Enumerable.Range(0, 3000).Select(_ => Math.Abs(Gauss(rng))).ToArray();
        var nonMembers = Enumerable.Range(0, 3000).Select(_ => Math.Abs(Gauss(rng))).ToArray();
        Assert.InRange(MembershipInference.LossAuc(members, nonMembers), 0.47, 0.53);   // sd of the AUC ≈ 0.0075
        var low = Enumerable.Range(0, 500).Select(_ => 0.1 * rng.NextDouble()).ToArray();
        var high = Enumerable.Range(0, 500).Select(_ => 1 + rng.NextDouble()).ToArray();
        Assert.Equal(1.0, MembershipInference.LossAuc(low, high));   // members have lower loss
        Assert.Equal(0.0, MembershipInference.LossAuc(high, low));
    }

    [Fact]
    public void MIA_efficacy_counts_forget_samples_classified_as_non_members()
    {
        var rng = new Random(4);
        var members = Enumerable.Range(0, 400).Select(_ => 0.9 + 0.1 * rng.NextDouble()).ToArray();
        var nonMembers = Enumerable.Range(0, 400).Select(_ => 0.2 + 0.4 * rng.NextDouble()).ToArray();
        var memberLike = Enumerable.Range(0, 200).Select(_ => 0.92 + 0.08 * rng.NextDouble()).ToArray();
        var nonMemberLike = Enumerable.Range(0, 200).Select(_ => 0.25 + 0.3 * rng.NextDouble()).ToArray();
        Assert.Equal(0.0, MembershipInference.EfficacyFromConfidences(members, nonMembers, memberLike));
        Assert.Equal(100.0, MembershipInference.EfficacyFromConfidences(members, nonMembers, nonMemberLike));
        // half and half: exactly 50
        Assert.Equal(50.0, MembershipInference.EfficacyFromConfidences(members, nonMembers, memberLike.Take(100).Concat(nonMemberLike.Take(100)).ToArray()));
        Assert.Equal("target", Assert.Throws<ArgumentException>(() => MembershipInference.EfficacyFromConfidences(members, nonMembers, [])).ParamName);
    }

    /// <summary>A classifier that records every input row it sees. Inputs are (class, set, index); logit 0 is
    /// 0.1·class + set and the others 0, so the true-class confidence varies with class and set.</summary>
    sealed class Recorder() : nn.Module<Tensor, Tensor>(nameof(Recorder))
    {
        public readonly List<double[]> Rows = [];
        public override Tensor forward(Tensor x)
        {
            var v = x.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
            for (int i = 0; i < v.Length; i += 3) Rows.Add(v[i..(i + 3)]);
            var first = x.narrow(1, 0, 1) * 0.1 + x.narrow(1, 1, 1);
            return cat([first, zeros(x.shape[0], 9, dtype: x.dtype)], 1);
        }
    }

    /// <summary>Class-sorted toy data: <paramref name="perClass"/> samples of each of 10 classes, in class order, with
    /// features (class, set, index).</summary>
    static LabeledTensors Sorted(int perClass, int set, int[]? classes = null)
    {
        classes ??= Enumerable.Range(0, 10).ToArray();
        var labels = classes.SelectMany(c => Enumerable.Repeat((long)c, perClass)).ToArray();
        var x = labels.SelectMany((c, i) => new double[] { c, set, i }).ToArray();
        return new LabeledTensors(tensor(x, [labels.Length, 3], dtype: ScalarType.Float64), tensor(labels, dtype: ScalarType.Int64));
    }

    /// <summary>The (class, index) of the retain samples the MIA audit used as shadow members (set 0).</summary>
    static (double Class, double Index)[] ShadowRows(Recorder model) =>
        model.Rows.Where(r => r[1] == 0).Select(r => (r[0], r[2])).ToArray();

    [Fact]
    public void MIA_shadow_members_are_a_random_subset_of_class_sorted_retain_data()
    {
        using var scope = NewDisposeScope();
        using var retain = Sorted(100, 0);   // 1,000 samples, classes 0 … 9 in order
        using var test = Sorted(30, 1);      // 300: the shadow set takes 300 retain samples
        using var forget = Sorted(20, 2, [3]);
        var model = new Recorder();
        MembershipInference.Efficacy(model, forget, retain, test);
        var shadow = ShadowRows(model);
        Assert.Equal(300, shadow.Length);
        Assert.Equal(300, shadow.Select(r => r.Index).Distinct().Count());
        // "the first 300" would be classes 0, 1 and 2 only; a uniform draw holds every class about 30 times
        var perClass = shadow.GroupBy(r => r.Class).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(10, perClass.Count);
        Assert.All(perClass.Values, count => Assert.InRange(count, 12, 50));
    }

    [Fact]
    public void MIA_shadow_members_are_reproducible_for_a_seed_and_differ_between_seeds()
    {
        using var scope = NewDisposeScope();
        using var retain = Sorted(100, 0);
        using var test = Sorted(30, 1);
        using var forget = Sorted(20, 2, [3]);
        (double, double)[] Shadow(long seed)
        {
            var model = new Recorder();
            MembershipInference.Efficacy(model, forget, retain, test, seed);
            return ShadowRows(model);
        }
        var a = Shadow(7);
        Assert.Equal(a, Shadow(7));
        Assert.NotEqual(a, Shadow(8));
        Assert.Equal(MembershipInference.ShadowMemberIndices(1000, 300, 7).Select(i => (double)i), a.Select(r => r.Item2));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => (long)i), MembershipInference.ShadowMemberIndices(5, 9, 3));   // all of a small D_r
        Assert.Equal("retainCount", Assert.Throws<ArgumentOutOfRangeException>(() => MembershipInference.ShadowMemberIndices(0, 3)).ParamName);
        Assert.Equal("testCount", Assert.Throws<ArgumentOutOfRangeException>(() => MembershipInference.ShadowMemberIndices(3, 0)).ParamName);
    }

    [Fact]
    public void Model_level_audit_uses_true_class_confidence_and_a_seeded_test_size_subset_of_the_retain_samples()
    {
        using var scope = NewDisposeScope();
        var model = Model();
        using var forget = new LabeledTensors(X(ForgetX), Y(ForgetY));
        using var retain = new LabeledTensors(X(RetainX), Y(RetainY));
        using var test = new LabeledTensors(X([[0.5, 0.5], [-0.2, 1.0]]), Y([1, 0]));
        double[] Conf(double[][] xs, long[] ys) => xs.Select((x, i) => Softmax(Logits(x))[ys[i]]).ToArray();
        var conf = MembershipInference.TrueClassConfidence(model, retain);
        Assert.Equal(Conf(RetainX, RetainY), conf, (a, b) => Math.Abs(a - b) < 1e-12);
        var shadow = MembershipInference.ShadowMemberIndices(4, 2, seed: 0);
        Assert.Equal(2, shadow.Length);
        double expected = MembershipInference.EfficacyFromConfidences(Conf(shadow.Select(i => RetainX[i]).ToArray(), shadow.Select(i => RetainY[i]).ToArray()),
            Conf([[0.5, 0.5], [-0.2, 1.0]], [1, 0]), Conf(ForgetX, ForgetY));
        Assert.Equal(expected, MembershipInference.Efficacy(model, forget, retain, test));
        var losses = MembershipInference.Losses(model, forget);
        Assert.Equal(ForgetX.Select((x, i) => Ce(Logits(x), ForgetY[i])).ToArray(), losses, (a, b) => Math.Abs(a - b) < 1e-12);

        var m = UnlearningMetrics.Evaluate(model, forget, retain, test);
        double Acc(double[][] xs, long[] ys) => 100.0 * xs.Where((x, i) => Array.IndexOf(Logits(x), Logits(x).Max()) == ys[i]).Count() / xs.Length;
        Assert.Equal(Acc(ForgetX, ForgetY), m.ForgetAccuracy, 1e-12);
        Assert.Equal(Acc(RetainX, RetainY), m.RetainAccuracy, 1e-12);
        Assert.Equal(100 - m.ForgetAccuracy, m.UnlearningAccuracy);
        Assert.Equal(expected, m.MiaEfficacy);
    }

    [Fact]
    public void Average_gap_is_the_mean_absolute_difference_over_UA_MIA_RA_TA()
    {
        var retrain = new UnlearningMetrics(ForgetAccuracy: 94, RetainAccuracy: 100, TestAccuracy: 94, MiaEfficacy: 13, LossMiaAuc: 0.5);
        var method = new UnlearningMetrics(ForgetAccuracy: 97, RetainAccuracy: 99.5, TestAccuracy: 93, MiaEfficacy: 15, LossMiaAuc: 0.6);
        Assert.Equal((3 + 2 + 0.5 + 1) / 4.0, method.AverageGap(retrain), 1e-12);
        Assert.Equal(0.0, retrain.AverageGap(retrain));
    }

    static double CkaReference(double[,] x, double[,] y)
    {
        int n = x.GetLength(0), p = x.GetLength(1), q = y.GetLength(1);
        double[,] Center(double[,] a, int d)
        {
            var c = new double[n, d];
            for (int j = 0; j < d; j++)
            {
                double m = 0; for (int i = 0; i < n; i++) m += a[i, j]; m /= n;
                for (int i = 0; i < n; i++) c[i, j] = a[i, j] - m;
            }
            return c;
        }
        var xc = Center(x, p); var yc = Center(y, q);
        double Fro2(double[,] a, int da, double[,] b, int db)
        {
            double s = 0;
            for (int j = 0; j < da; j++) for (int k = 0; k < db; k++)
            {
                double v = 0; for (int i = 0; i < n; i++) v += a[i, j] * b[i, k];
                s += v * v;
            }
            return s;
        }
        return Fro2(yc, q, xc, p) / Math.Sqrt(Fro2(xc, p, xc, p) * Fro2(yc, q, yc, q));
    }

    [Fact]
    public void Linear_CKA_matches_the_explicit_formula_is_one_with_itself_and_orthogonally_invariant()
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(9);
        var x = randn(40, 5, dtype: ScalarType.Float64, generator: gen);
        var z = randn(40, 3, dtype: ScalarType.Float64, generator: gen) + 0.5 * x.narrow(1, 0, 3);
        Assert.Equal(CkaReference(To2(x), To2(z)), LinearCka.Compute(x, z), 1e-12);
        Assert.Equal(1.0, LinearCka.Compute(x, x), 1e-12);
        var q = linalg.qr(randn(5, 5, dtype: ScalarType.Float64, generator: gen)).Q;
        Assert.Equal(1.0, LinearCka.Compute(x, x.matmul(q)), 1e-12);
        Assert.Equal(LinearCka.Compute(x, z), LinearCka.Compute(x.matmul(q) * 3.5 + 2.0, z), 1e-12);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => LinearCka.Compute(x, z.narrow(0, 0, 10))).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => LinearCka.Compute(ones(40, 2, dtype: ScalarType.Float64), z)).ParamName);
    }

    static double[,] To2(Tensor t)
    {
        var d = Flat(t); int r = (int)t.shape[0], c = (int)t.shape[1];
        var a = new double[r, c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) a[i, j] = d[i * c + j];
        return a;
    }

    [Fact]
    public void Linear_probe_reaches_the_regularised_optimum_and_reports_per_class_accuracy()
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(1);
        var centers = tensor(new double[] { 0, 0, 3, 0, 0, 3 }, [3, 2], dtype: ScalarType.Float64);
        var labels = arange(60, dtype: ScalarType.Int64).remainder(3);
        var feats = centers.index_select(0, labels) + 0.8 * randn(60, 2, dtype: ScalarType.Float64, generator: gen);
        const double l2 = 0.01;
        var (w, b, _) = LinearProbe.Train(feats, labels, 3, l2, 200, out var mean, out var std);
        // explicit float64 gradient of mean CE + (λ/2)‖W‖² at the solution
        var s = To2((feats - mean) / std); var W = To2(w); var B = Flat(b); var ys = Flat(labels.to_type(ScalarType.Float64));
        var gw = new double[3, 2]; var gb = new double[3];
        for (int i = 0; i < 60; i++)
        {
            var z = new double[3];
            for (int c = 0; c < 3; c++) z[c] = B[c] + W[c, 0] * s[i, 0] + W[c, 1] * s[i, 1];
            var p = Softmax(z);
            for (int c = 0; c < 3; c++)
            {
                double r = (p[c] - (c == (int)ys[i] ? 1 : 0)) / 60;
                gb[c] += r; gw[c, 0] += r * s[i, 0]; gw[c, 1] += r * s[i, 1];
            }
        }
        double norm = 0;
        for (int c = 0; c < 3; c++) { norm += gb[c] * gb[c]; for (int d = 0; d < 2; d++) { double g = gw[c, d] + l2 * W[c, d]; norm += g * g; } }
        Assert.True(Math.Sqrt(norm) < 1e-6, $"gradient norm {Math.Sqrt(norm)} at the probe's solution");

        var far = centers.index_select(0, labels) * 10;   // well separated copies: the probe is perfect
        var result = LinearProbe.Fit(far, labels, far, labels, numClasses: 4);
        Assert.Equal(100.0, result.Accuracy);
        Assert.Equal(100.0, result.ClassAccuracy[2]);
        Assert.True(double.IsNaN(result.ClassAccuracy[3]));
        Assert.Equal("testFeatures", Assert.Throws<ArgumentException>(() => LinearProbe.Fit(far, labels, zeros(5, 3, dtype: ScalarType.Float64), zeros(5, dtype: ScalarType.Int64), 3)).ParamName);
        Assert.Equal("trainLabels", Assert.Throws<ArgumentOutOfRangeException>(() => LinearProbe.Fit(far, labels, far, labels, 2)).ParamName);
    }

    [Fact]
    public void Probe_and_CKA_on_model_features_agree_with_the_tensor_forms()
    {
        using var scope = NewDisposeScope();
        LossLab.Training.Seeds.Fix(3);
        var mlp = new LossLab.Models.Mlp([2, 8, 3]);
        var other = new LossLab.Models.Mlp([2, 8, 3]);
        using var data = new LabeledTensors(X(RetainX.Concat(ForgetX).ToArray()).to_type(ScalarType.Float32), Y(RetainY.Concat(ForgetY).ToArray()));
        using var _ = no_grad();
        var fa = mlp.Features(data.Features); var fb = other.Features(data.Features);
        Assert.Equal(LinearCka.Compute(fa, fb), LinearCka.BetweenModels(mlp.Features, mlp, other.Features, other, data), 1e-12);
        var direct = LinearProbe.Fit(fa, data.Labels, fa, data.Labels, 3);
        var viaModel = LinearProbe.OnFeatures(mlp.Features, mlp, data, data, 3);
        Assert.Equal(direct.Accuracy, viaModel.Accuracy);
        Assert.Equal(direct.ClassAccuracy, viaModel.ClassAccuracy);
    }

    [Fact]
    public void Relearn_time_counts_full_batch_SGD_steps_until_the_threshold_and_restores_the_model()
    {
        using var scope = NewDisposeScope();
        var model = Model();
        using var relearn = new LabeledTensors(X(ForgetX), Y(ForgetY));
        using var eval = new LabeledTensors(X(ForgetX), Y(ForgetY));
        const double lr = 0.5;
        // reference: explicit float64 gradient descent on the linear model
        var w = (double[,])W.Clone(); var bb = (double[])B.Clone();
        int? expected = null;
        for (int step = 0; step <= 200; step++)
        {
            int correct = 0;
            for (int i = 0; i < 3; i++) { var z = Logits(ForgetX[i], w, bb); if (Array.IndexOf(z, z.Max()) == ForgetY[i]) correct++; }
            if (100.0 * correct / 3 >= 100) { expected = step; break; }
            var gw = new double[3, 2]; var gb = new double[3];
            for (int i = 0; i < 3; i++)
            {
                var p = Softmax(Logits(ForgetX[i], w, bb));
                for (int c = 0; c < 3; c++)
                {
                    double r = (p[c] - (c == ForgetY[i] ? 1 : 0)) / 3;
                    gb[c] += r; for (int d = 0; d < 2; d++) gw[c, d] += r * ForgetX[i][d];
                }
            }
            for (int c = 0; c < 3; c++) { bb[c] -= lr * gb[c]; for (int d = 0; d < 2; d++) w[c, d] -= lr * gw[c, d]; }
        }
        Assert.NotNull(expected);
        Assert.True(expected > 0);
        Assert.Equal(expected, RelearnTime.Measure(model, relearn, eval, threshold: 100, learningRate: lr, maxSteps: 200));
        Assert.Equal(W.Cast<double>(), Flat(model.weight!));   // restored
        Assert.Null(RelearnTime.Measure(model, relearn, eval, threshold: 100, learningRate: lr, maxSteps: expected!.Value - 1));
        Assert.Equal(0, RelearnTime.Measure(model, relearn, eval, threshold: 0));
    }
}
