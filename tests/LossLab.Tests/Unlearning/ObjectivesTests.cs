using LossLab.Unlearning;
using static TorchSharp.torch;
using static LossLab.Tests.Unlearning.Tiny;

namespace LossLab.Tests.Unlearning;

public class ObjectivesTests
{
    const double Tol = 1e-12;

    static double Loss(IUnlearningObjective objective, int step = 0)
    {
        using var scope = NewDisposeScope();
        var model = Model();
        return Value(objective.Loss(model, Batch(step)));
    }

    static double MeanOver(double[][] xs, long[] ys, Func<double[], long, double> f) =>
        xs.Select((x, i) => f(Logits(x), ys[i])).Average();

    [Fact]
    public void Fine_tuning_is_retain_cross_entropy()
    {
        Assert.Equal(MeanCe(RetainX, RetainY), Loss(UnlearningObjectives.FineTune()), Tol);
        Assert.Equal(MeanCe(RetainX, RetainY), Loss(UnlearningObjectives.Retrain()), Tol);
    }

    [Fact]
    public void Gradient_ascent_is_negative_forget_cross_entropy() =>
        Assert.Equal(-MeanCe(ForgetX, ForgetY), Loss(UnlearningObjectives.GradientAscent()), Tol);

    [Fact]
    public void GradDiff_adds_lambda_times_retain_cross_entropy() =>
        Assert.Equal(-MeanCe(ForgetX, ForgetY) + 0.7 * MeanCe(RetainX, RetainY), Loss(UnlearningObjectives.GradDiff(0.7)), Tol);

    [Fact]
    public void NegGradPlus_weights_retain_by_beta_and_forget_by_one_minus_beta() =>
        Assert.Equal(0.9 * MeanCe(RetainX, RetainY) - 0.1 * MeanCe(ForgetX, ForgetY), Loss(UnlearningObjectives.NegGradPlus()), Tol);

    static double Ihl(double[] z, long y)
    {
        var p = Softmax(z);
        double best = double.NegativeInfinity;
        for (int v = 0; v < p.Length; v++) if (v != y) best = Math.Max(best, p[v]);
        return 1 + p[y] - best;
    }

    [Fact]
    public void Inverted_hinge_is_one_plus_true_minus_best_other_probability()
    {
        double expected = MeanOver(ForgetX, ForgetY, Ihl);
        Assert.Equal(expected, Loss(UnlearningObjectives.InvertedHinge()), Tol);
        Assert.Equal(expected + 0.5 * MeanCe(RetainX, RetainY), Loss(UnlearningObjectives.InvertedHinge(0.5)), Tol);
    }

    [Fact]
    public void Inverted_hinge_stays_in_zero_two_for_extreme_logits()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new double[] { 100, -100, 0, -100, 100, 0 }, [2, 3], dtype: ScalarType.Float64);
        var v = Flat(new InvertedHinge().PerSample(logits, tensor(new long[] { 0, 0 })));
        Assert.Equal(2.0, v[0], 1e-9);
        Assert.Equal(0.0, v[1], 1e-9);
    }

    [Fact]
    public void Random_labels_are_cross_entropy_to_the_generators_draws()
    {
        using var scope = NewDisposeScope();
        var reference = new RandomLabelCrossEntropy(3, seed: 7);
        var drawn = Flat(reference.Draw(Y(ForgetY)).to_type(ScalarType.Float64)).Select(v => (long)v).ToArray();
        double expected = MeanOver(ForgetX, drawn, Ce) + MeanCe(RetainX, RetainY);
        Assert.Equal(expected, Loss(UnlearningObjectives.RandomLabels(3, seed: 7)), Tol);
    }

    [Fact]
    public void Fixed_random_labels_are_a_hash_of_seed_and_position_and_stay_fixed()
    {
        using var scope = NewDisposeScope();
        var index = tensor(new long[] { 5, 0, 17 });
        var batch = Batch() with { ForgetIndex = index };
        long[] drawn = new long[] { 5, 0, 17 }.Select(i => LossLab.Training.Seeds.Derive(9, i) % 3).ToArray();
        double expected = MeanOver(ForgetX, drawn, Ce) + MeanCe(RetainX, RetainY);
        var objective = UnlearningObjectives.RandomLabels(3, seed: 9, fixedPerSample: true);   // the opt-in, not SalUn's default
        var model = Model();
        Assert.Equal(expected, Value(objective.Loss(model, batch)), Tol);
        Assert.Equal(expected, Value(objective.Loss(model, batch with { Step = 4 })), Tol);   // same labels later on
        using var wrong = new RandomLabelCrossEntropy(3, seed: 9, excludeTrueLabel: true);
        var fixedWrong = Flat(wrong.FixedLabels(index, Y(ForgetY)).to_type(ScalarType.Float64));
        for (int k = 0; k < 3; k++)
        {
            Assert.NotEqual(ForgetY[k], (long)fixedWrong[k]);
            Assert.Equal((ForgetY[k] + 1 + LossLab.Training.Seeds.Derive(9, new long[] { 5, 0, 17 }[k]) % 2) % 3, (long)fixedWrong[k]);
        }
    }

    /// <summary>The random labels an RL forget term used for one call, read back from its per-sample cross-entropy:
    /// with logits zᵢ = (0, 1, …, C − 1), CE(z, ỹ) = logsumexp(z) − ỹ.</summary>
    static long[] DrawnLabels(IForgetTerm term, Tensor labels, UnlearningBatch batch, int numClasses)
    {
        using var scope = NewDisposeScope();
        long n = labels.shape[0];
        var logits = arange(numClasses, dtype: ScalarType.Float64).unsqueeze(0).expand(n, numClasses).contiguous();
        double lse = Math.Log(Enumerable.Range(0, numClasses).Sum(c => Math.Exp(c)));
        return Flat(term.PerSample(logits, labels, batch)).Select(ce => (long)Math.Round(lse - ce)).ToArray();
    }

    [Fact]
    public void Random_labels_are_redrawn_at_every_step_by_default_as_in_SalUn()
    {
        // SalUn's RL.py draws torch.randint(0, C, target.shape) for every forget batch. The forget batch carries its
        // indices (as the Unlearner's batches do); the default must still re-draw, not keep one label per sample.
        using var scope = NewDisposeScope();
        const int n = 2000, c = 10, calls = 5;
        var y = Y(Enumerable.Range(0, n).Select(i => (long)(i % c)).ToArray());
        var batch = Batch() with { ForgetIndex = arange(n, dtype: ScalarType.Int64) };
        var term = UnlearningObjectives.RandomLabels(c, seed: 4).Forget!;
        var draws = Enumerable.Range(0, calls).Select(_ => DrawnLabels(term, y, batch, c)).ToArray();
        var trueLabels = Flat(y.to_type(ScalarType.Float64)).Select(v => (long)v).ToArray();

        // the labels are the successive draws of the term's seeded generator (stream 0 of the seed), uniform over all C
        using (var reference = LossLab.Training.Seeds.Generator(4, 0))
            for (int k = 0; k < calls; k++)
                Assert.Equal(Flat(randint(0, c, [n], generator: reference, dtype: ScalarType.Int64).to_type(ScalarType.Float64)).Select(v => (long)v), draws[k]);
        // a fixed draw would leave ≈ n/C samples at their true label in every call; re-drawing leaves ≈ n/Cᶜᵃˡˡˢ = 0.02
        int alwaysTrue = Enumerable.Range(0, n).Count(i => draws.All(d => d[i] == trueLabels[i]));
        Assert.InRange(alwaysTrue, 0, 2);
        foreach (var d in draws) Assert.InRange(d.Where((v, i) => v == trueLabels[i]).Count(), 150, 250);   // ≈ n/C = 200 per call
        // same seed, same labels; another seed, other labels
        var again = UnlearningObjectives.RandomLabels(c, seed: 4).Forget!;
        Assert.Equal(draws[0], DrawnLabels(again, y, batch, c));
        var other = UnlearningObjectives.RandomLabels(c, seed: 5).Forget!;
        Assert.NotEqual(draws[0], DrawnLabels(other, y, batch, c));
        foreach (var t in new[] { term, again, other }) ((IDisposable)t).Dispose();
    }

    [Fact]
    public void Static_LoReUn_weights_are_fixed_over_the_whole_forget_set_and_looked_up_by_index()
    {
        using var scope = NewDisposeScope();
        var model = Model();
        using var forget = new LossLab.Data.LabeledTensors(X(ForgetX), Y(ForgetY));
        const double T = 2.0;
        var ce = ForgetX.Select((x, i) => Ce(Logits(x), ForgetY[i])).ToArray();
        var e = ce.Select(l => Math.Exp(-l / T)).ToArray();
        var w = e.Select(v => 3 * v / e.Sum()).ToArray();
        var objective = UnlearningObjectives.WithStaticLoReUn(UnlearningObjectives.GradientAscent(), model, forget, T);
        // a batch holding samples 2 and 0 of D_f
        var batch = new UnlearningBatch(X([ForgetX[2], ForgetX[0]]), Y([ForgetY[2], ForgetY[0]]),
            zeros(0, 2, dtype: ScalarType.Float64), zeros(0, dtype: ScalarType.Int64), 0, tensor(new long[] { 2, 0 }));
        double expected = (-w[2] * ce[2] - w[0] * ce[0]) / 2;
        Assert.Equal(expected, Value(objective.Loss(model, batch)), Tol);
        Assert.Equal(w, Flat(((LoReUnWeighting)objective.Forget!).StaticWeights!), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal("batch", Assert.Throws<ArgumentException>(() => objective.Loss(model, batch with { ForgetIndex = null })).ParamName);
        ((LoReUnWeighting)objective.Forget!).Dispose();
    }

    [Fact]
    public void Random_wrong_labels_never_equal_the_true_label_and_cover_the_others()
    {
        using var scope = NewDisposeScope();
        using var rl = new RandomLabelCrossEntropy(4, seed: 1, excludeTrueLabel: true);
        var y = full(4000, 2L, dtype: ScalarType.Int64);
        var drawn = Flat(rl.Draw(y).to_type(ScalarType.Float64));
        Assert.DoesNotContain(2.0, drawn);
        foreach (var c in new[] { 0.0, 1.0, 3.0 }) Assert.InRange(drawn.Count(v => v == c), 1200, 1467);
    }

    [Theory]
    [InlineData(FDivergence.KullbackLeibler)]
    [InlineData(FDivergence.JensenShannon)]
    [InlineData(FDivergence.Pearson)]
    [InlineData(FDivergence.TotalVariation)]
    public void Flat_is_conjugate_of_forget_minus_template_expectation(FDivergence f)
    {
        Func<double, double> g = f switch
        {
            FDivergence.JensenShannon => v => Math.Log(2) - Math.Log(1 + Math.Exp(-v)),
            FDivergence.TotalVariation => v => 0.5 * Math.Tanh(v),
            _ => v => v,
        };
        Func<double, double> conj = f switch
        {
            FDivergence.KullbackLeibler => t => Math.Exp(t - 1),
            FDivergence.JensenShannon => t => -Math.Log(2 - Math.Exp(t)),
            FDivergence.Pearson => t => t * t / 4 + t,
            _ => t => t,
        };
        foreach (var template in new[] { null, new[] { 0.0, 0.0, 1.0 } })
        {
            var t = template ?? [1.0 / 3, 1.0 / 3, 1.0 / 3];
            double expected = MeanOver(ForgetX, ForgetY, (z, y) =>
            {
                var p = Softmax(z);
                double templ = 0;
                for (int c = 0; c < 3; c++) templ += t[c] * g(p[c]);
                return conj(g(p[y])) - templ;
            });
            Assert.Equal(expected, Loss(UnlearningObjectives.Flat(f, template)), Tol);
        }
    }

    [Fact]
    public void LoReUn_weights_are_batch_softmax_of_negative_loss_times_batch_size()
    {
        const double T = 0.5;
        var ce = ForgetX.Select((x, i) => Ce(Logits(x), ForgetY[i])).ToArray();
        var e = ce.Select(l => Math.Exp(-l / T)).ToArray();
        var w = e.Select(v => 3 * v / e.Sum()).ToArray();
        double expected = ForgetX.Select((x, i) => w[i] * Ihl(Logits(x), ForgetY[i])).Average();
        Assert.Equal(expected, Loss(UnlearningObjectives.WithLoReUn(UnlearningObjectives.InvertedHinge(), T)), Tol);
        double ga = ForgetX.Select((x, i) => -w[i] * ce[i]).Average() + MeanCe(RetainX, RetainY);
        Assert.Equal(ga, Loss(UnlearningObjectives.WithLoReUn(UnlearningObjectives.GradDiff(), T)), Tol);
    }

    static double Kl(double[] zs, double[] zt, double temp)
    {
        var ps = Softmax(zs, temp); var pt = Softmax(zt, temp);
        double s = 0;
        for (int c = 0; c < 3; c++) s += pt[c] * (Math.Log(pt[c]) - Math.Log(ps[c]));
        return s * temp * temp;
    }

    [Fact]
    public void Scrub_max_steps_are_negative_distillation_kl_and_min_steps_add_retain_ce()
    {
        using var scope = NewDisposeScope();
        var teacher = Model(W2, B2);
        var scrub = new Scrub(teacher, gamma: 0.99, alpha: 0.5, temperature: 4, maxStepsPerRound: 2, minStepsPerRound: 3, maxRounds: 1);
        double maxLoss = -ForgetX.Select(x => Kl(Logits(x), Logits(x, W2, B2), 4)).Average();
        double minLoss = 0.99 * MeanCe(RetainX, RetainY) + 0.5 * RetainX.Select(x => Kl(Logits(x), Logits(x, W2, B2), 4)).Average();
        Assert.Equal(maxLoss, Loss(scrub, step: 0), Tol);
        Assert.Equal(maxLoss, Loss(scrub, step: 1), Tol);
        Assert.Equal(minLoss, Loss(scrub, step: 2), Tol);
        Assert.Equal(minLoss, Loss(scrub, step: 4), Tol);
        Assert.Equal(minLoss, Loss(scrub, step: 5), Tol);   // round 2: no more max steps
        Assert.Equal([ScrubPhase.Max, ScrubPhase.Max, ScrubPhase.Min, ScrubPhase.Min, ScrubPhase.Min, ScrubPhase.Min],
            Enumerable.Range(0, 6).Select(scrub.Phase));
    }

    [Fact]
    public void L1_sparse_adds_a_linearly_decaying_l1_norm()
    {
        double l1 = 0;
        foreach (var v in W) l1 += Math.Abs(v);
        foreach (var v in B) l1 += Math.Abs(v);
        var obj = new L1Sparse(totalSteps: 10, gamma: 0.01);
        Assert.Equal(MeanCe(RetainX, RetainY) + 0.01 * l1, Loss(obj, 0), Tol);
        Assert.Equal(MeanCe(RetainX, RetainY) + 0.01 * 0.7 * l1, Loss(obj, 3), Tol);
        Assert.Equal(MeanCe(RetainX, RetainY), Loss(obj, 10), Tol);
    }

    [Fact]
    public void Gradient_projection_removes_the_retain_component_of_the_forget_gradient()
    {
        using var scope = NewDisposeScope();
        var model = Model();
        var proj = new GradientProjection(UnlearningObjectives.GradDiff(2.0), retainStep: 0.5);
        var (fw, fb) = CeGrad(ForgetX, ForgetY);
        var (rw, rb) = CeGrad(RetainX, RetainY);
        var gf = fw.Cast<double>().Concat(fb).Select(v => -v).ToArray();          // ∇(−CE_f)
        var gr = rw.Cast<double>().Concat(rb).Select(v => 2.0 * v).ToArray();     // ∇(2·CE_r)
        double dot = gf.Zip(gr, (a, b) => a * b).Sum(), n2 = gr.Sum(v => v * v);
        var expected = gf.Select((v, i) => v - dot / n2 * gr[i] + 0.5 * gr[i]).ToArray();
        var loss = proj.Backward(model, Batch());
        var got = Flat(model.weight!.grad!).Concat(Flat(model.bias!.grad!)).ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], got[i], 1e-12);
        var forgetPart = got.Select((v, i) => v - 0.5 * gr[i]).ToArray();
        Assert.Equal(0.0, forgetPart.Zip(gr, (a, b) => a * b).Sum(), 1e-12);
        Assert.Equal(-MeanCe(ForgetX, ForgetY) + 2 * MeanCe(RetainX, RetainY), Value(loss), Tol);
    }

    [Fact]
    public void An_empty_forget_batch_gives_zero_loss_and_zero_gradient()
    {
        using var scope = NewDisposeScope();
        var model = Model();
        var batch = new UnlearningBatch(zeros(0, 2, dtype: ScalarType.Float64), zeros(0, dtype: ScalarType.Int64),
            zeros(0, 2, dtype: ScalarType.Float64), zeros(0, dtype: ScalarType.Int64), 0);
        var loss = UnlearningObjectives.GradDiff().Loss(model, batch);
        loss.backward();
        Assert.Equal(0.0, Value(loss));
        Assert.All(Flat(model.weight!.grad!), v => Assert.Equal(0.0, v));
        Assert.False(double.IsNaN(Value(loss)));
    }

    [Fact]
    public void Bad_arguments_throw_naming_the_argument()
    {
        Assert.Equal("beta", Assert.Throws<ArgumentOutOfRangeException>(() => UnlearningObjectives.NegGradPlus(1.0)).ParamName);
        Assert.Equal("lambda", Assert.Throws<ArgumentOutOfRangeException>(() => UnlearningObjectives.GradDiff(0)).ParamName);
        Assert.Equal("numClasses", Assert.Throws<ArgumentOutOfRangeException>(() => UnlearningObjectives.RandomLabels(1)).ParamName);
        Assert.Equal("template", Assert.Throws<ArgumentException>(() => UnlearningObjectives.Flat(template: [0.5, 0.6])).ParamName);
        Assert.Equal("temperature", Assert.Throws<ArgumentOutOfRangeException>(() => new LoReUnWeighting(new InvertedHinge(), 0)).ParamName);
        Assert.Equal("objective", Assert.Throws<ArgumentException>(() => UnlearningObjectives.WithLoReUn(UnlearningObjectives.FineTune())).ParamName);
        Assert.Equal("forgetWeight", Assert.Throws<ArgumentException>(() => new ForgetRetainObjective("x", null, 1, 1)).ParamName);
        Assert.Equal("retainWeight", Assert.Throws<ArgumentException>(() => new ForgetRetainObjective("x", new InvertedHinge(), 0, 0)).ParamName);
        Assert.Equal("totalSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new L1Sparse(0)).ParamName);
        Assert.Equal("retainStep", Assert.Throws<ArgumentOutOfRangeException>(() => new GradientProjection(UnlearningObjectives.GradDiff(), -1)).ParamName);
        using var scope = NewDisposeScope();
        var teacher = Model();
        Assert.Equal("minStepsPerRound", Assert.Throws<ArgumentOutOfRangeException>(() => new Scrub(teacher, minStepsPerRound: 0)).ParamName);
        Assert.Equal("temperature", Assert.Throws<ArgumentOutOfRangeException>(() => new Scrub(teacher, temperature: 0)).ParamName);
        var logits = zeros(2, 3, dtype: ScalarType.Float64);
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => new InvertedHinge().PerSample(logits, tensor(new long[] { 0, 3 }))).ParamName);
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => new FlatDivergence(template: [0.5, 0.5]).PerSample(logits, tensor(new long[] { 0, 1 }))).ParamName);
        Assert.Equal("teacherLogits", Assert.Throws<ArgumentException>(() => Scrub.DistillationKl(logits, zeros(2, 4), 1)).ParamName);
    }
}
