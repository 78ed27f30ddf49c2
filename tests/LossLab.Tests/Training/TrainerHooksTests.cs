using LossLab.Optim;
using LossLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Tests.Training;

/// <summary>The trainer's step sources, after-step actions and gradient-writing objectives, each against the loop written
/// out by hand with the same batches: the parameters must agree bit for bit.</summary>
public class TrainerHooksTests
{
    static Sequential NewModel(int seed)
    {
        torch.manual_seed(seed);
        return nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3));
    }

    static (Tensor X, Tensor Y) BatchFor(long step)
    {
        var g = new Generator((ulong)(1000 + step));
        return (torch.randn(16, 4, generator: g), torch.randint(0, 3, [16], generator: g));
    }

    static double MaxDifference(nn.Module a, nn.Module b)
    {
        double worst = 0;
        foreach (var (pa, pb) in a.parameters().Zip(b.parameters()))
        {
            using var d = (pa - pb).abs().max();
            worst = Math.Max(worst, d.ToDouble());
        }
        return worst;
    }

    static void MaxNorm(Tensor w, double bound)
    {
        using var scope = torch.NewDisposeScope();
        var norms = w.norm(1, keepdim: true);
        using var b = bound.ToScalar();
        w.mul_(norms.clamp_min(b).reciprocal().mul_(b));
    }

    [Fact]
    public void FitSteps_with_a_schedule_and_an_after_step_projection_matches_the_hand_loop()
    {
        const int steps = 25;
        Func<long, double> schedule = s => 0.05 / (1 + s);
        using var hand = NewModel(3);
        using (var opt = Optimizers.SGD(hand.parameters(), 0.05, momentum: 0.9))
        {
            var last = (Linear)hand[2];
            for (long s = 0; s < steps; s++)
            {
                using var scope = torch.NewDisposeScope();
                foreach (var g in opt.ParamGroups) g.LearningRate = schedule(s);
                var (x, y) = BatchFor(s);
                opt.zero_grad();
                nn.functional.cross_entropy(hand.forward(x), y).backward();
                opt.step();
                using (torch.no_grad()) MaxNorm(last.weight, 0.5);
            }
        }

        using var model = NewModel(3);
        using var optimizer = Optimizers.SGD(model.parameters(), 0.05, momentum: 0.9);
        var head = (Linear)model[2];
        var seen = new List<long>();
        var trainer = new Trainer(model, optimizer, b => nn.functional.cross_entropy(model.forward(b.Inputs), b.Targets)) { Schedule = schedule }
            .AddAfterStep((b, loss) => { seen.Add(b.Step); Assert.True(double.IsFinite(loss)); MaxNorm(head.weight, 0.5); });
        var result = trainer.FitSteps(BatchFor, steps);

        Assert.Equal(TrainingStatus.Completed, result.Status);
        Assert.Equal(steps, result.Steps);
        Assert.Equal(Enumerable.Range(0, steps).Select(i => (long)i), seen);
        Assert.Equal(0.0, MaxDifference(hand, model));
        Assert.Equal(schedule(steps - 1), trainer.History.LearningRates[^1]);
        using var rowNorms = head.weight.norm(1);
        Assert.True(rowNorms.max().ToDouble() <= 0.5 + 1e-6);
    }

    [Fact]
    public void FitSteps_evaluates_every_k_steps_and_after_the_last()
    {
        using var model = NewModel(4);
        using var optimizer = Optimizers.Adam(model.parameters(), 1e-2);
        var at = new List<long>();
        var trainer = new Trainer(model, optimizer, b => nn.functional.cross_entropy(model.forward(b.Inputs), b.Targets));
        trainer.AddMetric("steps", () => { at.Add(trainer.Step); return trainer.Step; });
        trainer.FitSteps(BatchFor, 10, evaluateEvery: 4);
        Assert.Equal(new long[] { 4, 8, 10 }, at);
    }

    [Fact]
    public void FitSteps_stops_before_updating_on_a_non_finite_loss()
    {
        using var model = NewModel(5);
        using var optimizer = Optimizers.SGD(model.parameters(), 0.1);
        var before = model.parameters().Select(p => p.detach().clone()).ToArray();
        var trainer = new Trainer(model, optimizer, b => b.Step == 0 ? torch.tensor(double.NaN) : nn.functional.cross_entropy(model.forward(b.Inputs), b.Targets));
        var result = trainer.FitSteps(BatchFor, 5);
        Assert.Equal(TrainingStatus.NonFinite, result.Status);
        Assert.Equal(0, result.NonFiniteStep);
        foreach (var (p, q) in model.parameters().Zip(before)) Assert.True(p.eq(q).all().item<bool>());
    }

    /// <summary>Writes ∇(0.7·CE(first half) + 0.3·CE(second half)) with two backward passes and reports the weighted loss.</summary>
    sealed class TwoPassObjective(nn.Module<Tensor, Tensor> model) : IGradientObjective
    {
        public Tensor Loss(Batch batch) => throw new InvalidOperationException("the trainer must call Backward");

        public double Backward(Batch batch)
        {
            var a = nn.functional.cross_entropy(model.forward(batch.Inputs.narrow(0, 0, 8)), batch.Targets.narrow(0, 0, 8)) * 0.7;
            a.backward();
            var b = nn.functional.cross_entropy(model.forward(batch.Inputs.narrow(0, 8, 8)), batch.Targets.narrow(0, 8, 8)) * 0.3;
            b.backward();
            return a.ToDouble() + b.ToDouble();
        }
    }

    [Fact]
    public void An_objective_that_writes_its_own_gradients_trains_like_the_single_weighted_loss()
    {
        const int steps = 12;
        using var hand = NewModel(6);
        var handLosses = new List<double>();
        using (var opt = Optimizers.Adam(hand.parameters(), 1e-2))
            for (long s = 0; s < steps; s++)
            {
                using var scope = torch.NewDisposeScope();
                var (x, y) = BatchFor(s);
                opt.zero_grad();
                var loss = nn.functional.cross_entropy(hand.forward(x.narrow(0, 0, 8)), y.narrow(0, 0, 8)) * 0.7
                           + nn.functional.cross_entropy(hand.forward(x.narrow(0, 8, 8)), y.narrow(0, 8, 8)) * 0.3;
                loss.backward();
                handLosses.Add(loss.ToDouble());
                opt.step();
            }

        using var model = NewModel(6);
        using var optimizer = Optimizers.Adam(model.parameters(), 1e-2);
        var trainer = new Trainer(model, optimizer, new TwoPassObjective(model));
        trainer.FitSteps(BatchFor, steps);

        Assert.True(MaxDifference(hand, model) < 1e-6, $"max |Δθ| {MaxDifference(hand, model)}");
        for (int i = 0; i < steps; i++) Assert.Equal(handLosses[i], trainer.History.Losses[i], 6);
    }

    [Fact]
    public void An_after_backward_action_masks_gradients_before_the_update_as_the_hand_loop_does()
    {
        const int steps = 10;
        static void Mask(nn.Module model)
        {
            var w = model.parameters().First();
            using var keep = torch.zeros_like(w);
            keep.index_fill_(0, torch.tensor(new long[] { 0, 2 }), 1.0);
            w.grad!.mul_(keep);
        }
        using var hand = NewModel(8);
        using (var opt = Optimizers.SGD(hand.parameters(), 0.1, momentum: 0.5))
            for (long s = 0; s < steps; s++)
            {
                using var scope = torch.NewDisposeScope();
                var (x, y) = BatchFor(s);
                opt.zero_grad();
                nn.functional.cross_entropy(hand.forward(x), y).backward();
                using (torch.no_grad()) Mask(hand);
                opt.step();
            }

        using var model = NewModel(8);
        using var optimizer = Optimizers.SGD(model.parameters(), 0.1, momentum: 0.5);
        using var before = model.parameters().First().detach().clone();
        new Trainer(model, optimizer, b => nn.functional.cross_entropy(model.forward(b.Inputs), b.Targets))
            .AddAfterBackward(_ => Mask(model))
            .FitSteps(BatchFor, steps);

        Assert.Equal(0.0, MaxDifference(hand, model));
        using var moved = (model.parameters().First() - before).abs().sum(1);
        var rows = moved.data<float>().ToArray();
        Assert.True(rows[0] > 0 && rows[2] > 0, "the unmasked rows move");
        Assert.Equal(0f, rows[1]);                 // masked rows never move
        Assert.Equal(0f, rows[3]);
    }
}

