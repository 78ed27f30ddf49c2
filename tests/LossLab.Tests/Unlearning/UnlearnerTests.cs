using LossLab.Data;
using LossLab.Unlearning;
using static TorchSharp.torch;
using static LossLab.Tests.Unlearning.Tiny;

namespace LossLab.Tests.Unlearning;

public class UnlearnerTests
{
    static (LabeledTensors Forget, LabeledTensors Retain) Sets() =>
        (new LabeledTensors(X(ForgetX), Y(ForgetY)), new LabeledTensors(X(RetainX), Y(RetainY)));

    [Fact]
    public void One_plain_sgd_step_of_GradDiff_matches_the_closed_form_gradient()
    {
        using var scope = NewDisposeScope();
        var (forget, retain) = Sets();
        var model = Model();
        var options = new UnlearningOptions { Steps = 1, LearningRate = 0.1, Momentum = 0, WeightDecay = 0, ForgetBatchSize = 8, RetainBatchSize = 8 };
        var run = Unlearner.Run(model, UnlearningObjectives.GradDiff(0.5), forget, retain, options);
        var (fw, fb) = CeGrad(ForgetX, ForgetY);
        var (rw, rb) = CeGrad(RetainX, RetainY);
        var w = Flat(model.weight!); var b = Flat(model.bias!);
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(B[c] - 0.1 * (-fb[c] + 0.5 * rb[c]), b[c], 1e-12);
            for (int d = 0; d < 2; d++) Assert.Equal(W[c, d] - 0.1 * (-fw[c, d] + 0.5 * rw[c, d]), w[c * 2 + d], 1e-12);
        }
        Assert.Single(run.Losses);
        Assert.Equal(-MeanCe(ForgetX, ForgetY) + 0.5 * MeanCe(RetainX, RetainY), run.Losses[0], 1e-12);
        forget.Dispose(); retain.Dispose();
    }

    [Fact]
    public void Masked_update_keeps_masked_out_weights_at_their_original_values()
    {
        using var scope = NewDisposeScope();
        var (forget, retain) = Sets();
        var model = Model();
        var scores = new Dictionary<string, Tensor>
        {
            ["weight"] = tensor(new double[] { 6, 1, 5, 2, 4, 3 }, [3, 2], dtype: ScalarType.Float64),
            ["bias"] = tensor(new double[] { 0, 9, 0 }, dtype: ScalarType.Float64),
        };
        using var mask = ParameterMask.TopFraction(scores, 4.0 / 9);   // keeps 9, 6, 5, 4
        using var hook = new MaskedUpdate(mask);
        var options = new UnlearningOptions { Steps = 5, LearningRate = 0.05, ForgetBatchSize = 2, RetainBatchSize = 2 };
        Unlearner.Run(model, UnlearningObjectives.RandomLabels(3, seed: 3), forget, retain, options, [hook]);
        var w = Flat(model.weight!); var b = Flat(model.bias!);
        var w0 = W.Cast<double>().ToArray();
        bool[] freeW = [true, false, true, false, true, false];
        for (int i = 0; i < 6; i++)
            if (freeW[i]) Assert.NotEqual(w0[i], w[i]); else Assert.Equal(w0[i], w[i]);
        Assert.Equal(B[0], b[0]); Assert.NotEqual(B[1], b[1]); Assert.Equal(B[2], b[2]);
        forget.Dispose(); retain.Dispose();
    }

    [Fact]
    public void Layer_restriction_only_moves_the_chosen_layer()
    {
        using var scope = NewDisposeScope();
        var (forget, retain) = Sets();
        var model = nn.Sequential(nn.Linear(2, 4, dtype: ScalarType.Float64), nn.ReLU(), nn.Linear(4, 3, dtype: ScalarType.Float64));
        var before = ModelState.Snapshot(model);
        using var mask = ParameterMask.Layers(model, "0.");
        Assert.Equal(12, mask.Selected);
        Assert.Equal(27, mask.Total);
        using var hook = new MaskedUpdate(mask);
        Unlearner.Run(model, UnlearningObjectives.GradDiff(), forget, retain, new UnlearningOptions { Steps = 3, LearningRate = 0.1 }, [hook]);
        var after = model.state_dict();
        Assert.NotEqual(Flat(before["0.weight"]), Flat(after["0.weight"]));
        Assert.Equal(Flat(before["2.weight"]), Flat(after["2.weight"]));
        Assert.Equal(Flat(before["2.bias"]), Flat(after["2.bias"]));
        Assert.Equal("prefixes", Assert.Throws<ArgumentException>(() => ParameterMask.Layers(model, "5.")).ParamName);
        ModelState.Dispose(before);
        forget.Dispose(); retain.Dispose();
    }

    [Fact]
    public void Saliency_mask_keeps_exactly_the_top_fraction_of_all_entries()
    {
        using var scope = NewDisposeScope();
        var scores = new Dictionary<string, Tensor>
        {
            ["a"] = tensor(new double[] { 0.1, 0.9, 0.5, 0.3 }, dtype: ScalarType.Float64),
            ["b"] = tensor(new double[] { 0.8, 0.2, 0.7, 0.4, 0.6, 0.0 }, [2, 3], dtype: ScalarType.Float64),
        };
        foreach (var (fraction, expectedA, expectedB) in new[]
        {
            (0.3, new double[] { 0, 1, 0, 0 }, new double[] { 1, 0, 1, 0, 0, 0 }),
            (0.5, new double[] { 0, 1, 1, 0 }, new double[] { 1, 0, 1, 0, 1, 0 }),
            (0.0, new double[4], new double[6]),
            (1.0, new double[] { 1, 1, 1, 1 }, new double[] { 1, 1, 1, 1, 1, 1 }),
        })
        {
            using var mask = ParameterMask.TopFraction(scores, fraction);
            Assert.Equal(expectedA, Flat(mask.Masks["a"]));
            Assert.Equal(expectedB, Flat(mask.Masks["b"]));
            Assert.Equal((long)Math.Floor(fraction * 10), mask.Selected);
            Assert.Equal(new long[] { 2, 3 }, mask.Masks["b"].shape);
        }
        Assert.Equal("fraction", Assert.Throws<ArgumentOutOfRangeException>(() => ParameterMask.TopFraction(scores, 1.5)).ParamName);
    }

    [Fact]
    public void Saliency_scores_are_the_absolute_accumulated_forget_gradient()
    {
        using var scope = NewDisposeScope();
        var forget = new LabeledTensors(X(ForgetX), Y(ForgetY));
        var model = Model();
        var scores = SaliencyMask.Scores(model, forget, batchSize: 2);   // batches {0,1} and {2}
        var (w01, b01) = CeGrad(ForgetX[..2], ForgetY[..2]);
        var (w2, b2) = CeGrad(ForgetX[2..], ForgetY[2..]);
        var sw = Flat(scores["weight"]); var sb = Flat(scores["bias"]);
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(Math.Abs(b01[c] + b2[c]), sb[c], 1e-12);
            for (int d = 0; d < 2; d++) Assert.Equal(Math.Abs(w01[c, d] + w2[c, d]), sw[c * 2 + d], 1e-12);
        }
        Assert.Equal(W.Cast<double>(), Flat(model.weight!));   // the model is unchanged
        foreach (var s in scores.Values) s.Dispose();
        forget.Dispose();
    }

    [Fact]
    public void SalUn_restricts_random_labelling_to_the_salient_half()
    {
        using var scope = NewDisposeScope();
        var (forget, retain) = Sets();
        var model = Model();
        var (method, mask) = SalUn.Create(model, forget, numClasses: 3, new UnlearningOptions { Steps = 4, LearningRate = 0.05 }, fraction: 0.5);
        Assert.Equal(4, mask.Selected);   // ⌊0.5·9⌋
        var before = Flat(model.weight!).Concat(Flat(model.bias!)).ToArray();
        var keep = Flat(mask.Masks["weight"]).Concat(Flat(mask.Masks["bias"])).ToArray();
        var run = method.Run(model, forget, retain);
        var after = Flat(model.weight!).Concat(Flat(model.bias!)).ToArray();
        for (int i = 0; i < 9; i++)
            if (keep[i] == 0) Assert.Equal(before[i], after[i]); else Assert.NotEqual(before[i], after[i]);
        Assert.Equal("SalUn", run.Method);
        Assert.Equal(4, run.Losses.Count);
        foreach (var h in method.Hooks!) h.Dispose();
        mask.Dispose(); forget.Dispose(); retain.Dispose();
    }

    [Fact]
    public void Retrain_trains_only_on_the_retain_set_and_runs_are_reproducible()
    {
        using var scope = NewDisposeScope();
        var (_, retain) = Sets();
        var a = Model(); var b = Model();
        var options = new UnlearningOptions { Steps = 6, RetainBatchSize = 2, Seed = 11 };
        var ra = Unlearner.Retrain(a, retain, options);
        var rb = Unlearner.Retrain(b, retain, options);
        Assert.Equal(ra.Losses, rb.Losses);
        Assert.Equal(Flat(a.weight!), Flat(b.weight!));
        var after = Value(nn.functional.cross_entropy(a.call(X(RetainX)), Y(RetainY)));
        Assert.True(after < MeanCe(RetainX, RetainY), $"retain CE {after} after retraining vs {MeanCe(RetainX, RetainY)} before");
        Assert.True(ra.RelativeTime(ra) == 1.0);
        retain.Dispose();
    }

    [Fact]
    public void Each_pass_over_the_forget_set_visits_every_sample_once_and_batches_carry_their_indices()
    {
        using var scope = NewDisposeScope();
        var (forget, retain) = Sets();
        var seen = new List<long[]>();
        var probe = new RecordingObjective(seen);
        Unlearner.Run(Model(), probe, forget, retain, new UnlearningOptions { Steps = 4, ForgetBatchSize = 2, RetainBatchSize = 3 });
        // forget batches of 2 over 3 samples: a pass is [2, 1]; steps 0–1 are pass one, steps 2–3 start pass two
        Assert.Equal([2, 1, 2, 1], seen.Select(s => s.Length));
        Assert.Equal([0L, 1, 2], seen[0].Concat(seen[1]).Order());
        Assert.Equal([0L, 1, 2], seen[2].Concat(seen[3]).Order());
        forget.Dispose(); retain.Dispose();
    }

    sealed class RecordingObjective(List<long[]> seen) : IUnlearningObjective
    {
        public string Name => "record";
        public Tensor Loss(nn.Module<Tensor, Tensor> model, UnlearningBatch batch)
        {
            var idx = batch.ForgetIndex!.data<long>().ToArray();
            seen.Add(idx);
            // the batch's rows are the indexed samples of D_f
            var x = Flat(batch.ForgetX);
            for (int k = 0; k < idx.Length; k++) Assert.Equal(ForgetX[idx[k]], x.Skip(2 * k).Take(2));
            return UnlearningObjectives.FineTune().Loss(model, batch);
        }
    }

    [Fact]
    public void A_non_finite_loss_ends_the_run_before_its_update()
    {
        using var scope = NewDisposeScope();
        var (forget, retain) = Sets();
        var model = Model();
        var reference = Model();
        var options = new UnlearningOptions { Steps = 10, LearningRate = 0.1, Momentum = 0, WeightDecay = 0, ForgetBatchSize = 8, RetainBatchSize = 8 };
        var run = Unlearner.Run(model, new NanAfter(2), forget, retain, options);
        Assert.Equal(2, run.NonFiniteStep);
        Assert.False(run.Completed);
        Assert.Equal(2, run.Losses.Count);
        Unlearner.Run(reference, UnlearningObjectives.FineTune(), forget, retain, options with { Steps = 2 });
        Assert.Equal(Flat(reference.weight!), Flat(model.weight!));   // exactly two updates were taken
        forget.Dispose(); retain.Dispose();
    }

    sealed class NanAfter(int step) : IUnlearningObjective
    {
        public string Name => "nan";
        public Tensor Loss(nn.Module<Tensor, Tensor> model, UnlearningBatch batch)
        {
            var loss = UnlearningObjectives.FineTune().Loss(model, batch);
            return batch.Step >= step ? loss * double.NaN : loss;
        }
    }

    [Fact]
    public void The_audit_refuses_a_diverged_model()
    {
        using var scope = NewDisposeScope();
        var (forget, retain) = Sets();
        var model = Model();
        using (no_grad()) model.weight!.fill_(double.PositiveInfinity);
        Assert.Throws<InvalidOperationException>(() => UnlearningMetrics.Evaluate(model, forget, retain, retain));
        forget.Dispose(); retain.Dispose();
    }

    [Fact]
    public void Scrub_runs_against_a_frozen_copy_of_the_original_as_teacher()
    {
        using var scope = NewDisposeScope();
        var (forget, retain) = Sets();
        var student = Model();
        var teacher = ModelState.Copy(student, () => Model(W2, B2));
        Assert.Equal(W.Cast<double>(), Flat(teacher.weight!));
        var scrub = new Scrub(teacher, maxStepsPerRound: 2, minStepsPerRound: 2, maxRounds: 1);
        var run = Unlearner.Run(student, scrub, forget, retain, new UnlearningOptions { Steps = 4, LearningRate = 0.1 });
        Assert.Equal(W.Cast<double>(), Flat(teacher.weight!));          // the teacher is untouched
        Assert.NotEqual(W.Cast<double>(), Flat(student.weight!));
        Assert.True(run.Losses[0] <= 0 && run.Losses[1] < 0);            // max steps: −KL ≤ 0, and < 0 once the student moved
        Assert.True(run.Losses[2] > 0 && run.Losses[3] > 0);             // min steps: γ·CE + α·KL > 0
        Assert.Equal("state", Assert.Throws<ArgumentException>(() => ModelState.Load(student, new Dictionary<string, Tensor>())).ParamName);
        forget.Dispose(); retain.Dispose();
    }

    [Fact]
    public void Runner_rejects_bad_options()
    {
        using var scope = NewDisposeScope();
        var (forget, retain) = Sets();
        var model = Model();
        Assert.Equal("Steps", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Unlearner.Run(model, UnlearningObjectives.FineTune(), forget, retain, new UnlearningOptions { Steps = -1 })).ParamName);
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Unlearner.Run(model, UnlearningObjectives.FineTune(), forget, retain, new UnlearningOptions { LearningRate = 0 })).ParamName);
        Assert.Equal("RetainBatchSize", Assert.Throws<ArgumentException>(() =>
            Unlearner.Run(model, UnlearningObjectives.FineTune(), forget, retain, new UnlearningOptions { ForgetBatchSize = 0, RetainBatchSize = 0 })).ParamName);
        forget.Dispose(); retain.Dispose();
    }
}
