using LossLab.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Optim;

public class SamTests
{
    static double Norm(double[] x) => Math.Sqrt(x.Sum(v => v * v));

    [Fact]
    public void First_step_moves_the_weights_by_exactly_rho_along_the_gradient()
    {
        var p = new QuadraticProblem();
        using var sgd = torch.optim.SGD([p.W], 0.1);
        using var sam = new Sam([p.W], sgd, rho: 0.05);
        p.Backward().Dispose();
        var before = p.Values;
        var g = QuadraticProblem.Gradient(before);
        var reported = sam.FirstStep();
        var moved = p.Values.Zip(before, (a, b) => a - b).ToArray();
        Assert.Equal(0.05, Norm(moved), 12);
        Assert.Equal(Norm(g), reported, 12);
        QuadraticProblem.AssertClose(g.Select(x => 0.05 * x / Norm(g)).ToArray(), moved, 1e-10);
        sam.SecondStep();
    }

    [Fact]
    public void Step_applies_the_base_optimizer_with_the_gradient_at_the_perturbed_point_and_restores_first()
    {
        var p = new QuadraticProblem();
        double lr = 0.1, rho = 0.2;
        using var sgd = torch.optim.SGD([p.W], lr);
        using var sam = new Sam([p.W], sgd, rho);
        var w = (double[])QuadraticProblem.Start.Clone();
        var passes = 0;
        for (var t = 0; t < 3; t++)
        {
            using var loss = sam.step(() => { passes++; sam.zero_grad(); return p.Backward(); });
            var g = QuadraticProblem.Gradient(w);
            var n = Norm(g);
            var perturbed = w.Select((x, i) => x + rho * g[i] / n).ToArray();
            var gp = QuadraticProblem.Gradient(perturbed);
            var f = w.Select((x, i) => QuadraticProblem.C[i] * x + 0.5 * QuadraticProblem.D[i] * x * x).Sum();
            Assert.Equal(f, loss.item<double>(), 12);             // the loss at w, not at w + ε̂
            w = w.Select((x, i) => x - lr * gp[i]).ToArray();
            QuadraticProblem.AssertClose(w, p.Values);
        }
        Assert.Equal(6, passes);                                    // two forward–backward passes per step
    }

    [Fact]
    public void Adaptive_sam_scales_the_perturbation_by_the_squared_weights()
    {
        var p = new QuadraticProblem();
        double rho = 0.5;
        using var sgd = torch.optim.SGD([p.W], 0.1);
        using var sam = new Sam([p.W], sgd, rho, adaptive: true);
        p.Backward().Dispose();
        var w = p.Values;
        var g = QuadraticProblem.Gradient(w);
        sam.FirstStep();
        var eps = p.Values.Zip(w, (a, b) => a - b).ToArray();
        var tg = g.Select((x, i) => Math.Abs(w[i]) * x).ToArray();
        var expected = g.Select((x, i) => rho * w[i] * w[i] * x / Norm(tg)).ToArray();
        QuadraticProblem.AssertClose(expected, eps, 1e-10);
        // ‖T⁻¹ε̂‖ = ρ over the coordinates with w ≠ 0 (ε̂ is 0 where w = 0)
        var scaled = eps.Select((e, i) => w[i] == 0 ? 0 : e / Math.Abs(w[i])).ToArray();
        Assert.Equal(rho, Norm(scaled), 10);
        sam.SecondStep();
    }

    [Fact]
    public void Sam_objective_runs_sam_inside_the_trainer_loop()
    {
        // Least squares L(w) = ‖Xw − y‖² / n on three rows, w ∈ ℝ²: ∇L = (2/n)·Xᵀ(Xw − y), written out below.
        double[,] x = { { 1, 2 }, { -1, 0.5 }, { 0.3, -2 } };
        double[] y = [1, -0.5, 2];
        double[] Grad(double[] w) => Enumerable.Range(0, 2).Select(j =>
            2.0 / 3 * Enumerable.Range(0, 3).Sum(i => x[i, j] * (x[i, 0] * w[0] + x[i, 1] * w[1] - y[i]))).ToArray();

        var model = nn.Linear(2, 1, hasBias: false, dtype: ScalarType.Float64);
        using (no_grad()) model.weight!.copy_(tensor(new[] { 0.2, -0.4 }).reshape(1, 2));
        using var sgd = torch.optim.SGD(model.parameters(), 0.05);
        using var sam = new Sam(model.parameters(), sgd, rho: 0.1);
        var objective = new SamObjective(
            LossLab.Training.Objectives.From(b => (model.forward(b.Inputs).reshape(-1) - b.Targets).square().mean()), sam);
        var trainer = new LossLab.Training.Trainer(model, sam, objective);
        var inputs = tensor(new[] { 1, 2, -1, 0.5, 0.3, -2 }).reshape(3, 2);
        var targets = tensor(y);

        double[] w = [0.2, -0.4];
        for (var t = 0; t < 3; t++)
        {
            trainer.TrainStep(inputs, targets);
            var g = Grad(w);
            var n = Norm(g);
            var gp = Grad(w.Select((v, i) => v + 0.1 * g[i] / n).ToArray());
            w = w.Select((v, i) => v - 0.05 * gp[i]).ToArray();
            QuadraticProblem.AssertClose(w, model.weight!.detach().data<double>().ToArray());
            Assert.False(sam.IsPerturbed);
        }
    }

    [Fact]
    public void Learning_rate_written_to_sam_param_groups_reaches_the_base_optimizer()
    {
        var p = new QuadraticProblem();
        using var sgd = torch.optim.SGD([p.W], 0.1);
        using var sam = new Sam([p.W], sgd);
        Schedules.Apply(Schedules.Constant(0.02), sam, 0);
        Assert.All(sgd.ParamGroups, g => Assert.Equal(0.02, g.LearningRate));
    }

    [Fact]
    public void A_sam_step_evaluates_the_loss_and_its_gradient_exactly_twice()
    {
        var model = nn.Linear(2, 1, hasBias: false, dtype: ScalarType.Float64);
        using var sgd = torch.optim.SGD(model.parameters(), 0.05);
        using var sam = new Sam(model.parameters(), sgd, rho: 0.1);
        int evaluations = 0;
        var objective = new SamObjective(LossLab.Training.Objectives.From(b =>
        {
            evaluations++;
            return (model.forward(b.Inputs).reshape(-1) - b.Targets).square().mean();
        }), sam);
        var trainer = new LossLab.Training.Trainer(model, sam, objective);
        var inputs = tensor(new[] { 1, 2, -1, 0.5, 0.3, -2 }).reshape(3, 2);
        var targets = tensor(new[] { 1, -0.5, 2 });
        for (int step = 1; step <= 3; step++)
        {
            trainer.TrainStep(inputs, targets);
            Assert.Equal(2 * step, evaluations);   // at w, then at w + ε(w)
        }
    }

    [Fact]
    public void Step_without_closure_throws()
    {
        var p = new QuadraticProblem();
        using var sgd = torch.optim.SGD([p.W], 0.1);
        using var sam = new Sam([p.W], sgd);
        var ex = Assert.Throws<ArgumentNullException>(() => sam.step());
        Assert.Equal("closure", ex.ParamName);
    }

    [Fact]
    public void Non_positive_rho_throws()
    {
        var p = new QuadraticProblem();
        using var sgd = torch.optim.SGD([p.W], 0.1);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Sam([p.W], sgd, rho: 0));
        Assert.Equal("rho", ex.ParamName);
    }
}
