using LossLab.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Optim;

/// <summary>Each optimizer's trajectory over a few steps against the update rule written out in float64.</summary>
public class OptimizerStepTests
{
    const int Steps = 4;

    static void Compare(torch.optim.Optimizer optimizer, QuadraticProblem problem, Func<double[], double[], int, double[]> reference)
    {
        var trace = problem.Run(optimizer, Steps);
        var w = (double[])QuadraticProblem.Start.Clone();
        for (var t = 1; t <= Steps; t++)
        {
            w = reference(w, QuadraticProblem.Gradient(w), t);
            QuadraticProblem.AssertClose(w, trace[t - 1]);
        }
    }

    static double Sign(double x) => Math.Sign(x);

    [Fact]
    public void Sign_descent_moves_each_weight_by_eta_against_the_gradient_sign()
    {
        var p = new QuadraticProblem();
        using var opt = new SignDescent([p.W], learningRate: 0.1, weightDecay: 0.01);
        Compare(opt, p, (w, g, _) => w.Select((x, i) => x * (1 - 0.1 * 0.01) - 0.1 * Sign(g[i])).ToArray());
    }

    [Fact]
    public void Sign_descent_with_momentum_follows_the_sign_of_the_average()
    {
        var p = new QuadraticProblem();
        using var opt = new SignDescent([p.W], learningRate: 0.05, momentum: 0.9);
        var m = new double[5];
        Compare(opt, p, (w, g, _) =>
        {
            for (var i = 0; i < 5; i++) m[i] = 0.9 * m[i] + 0.1 * g[i];
            return w.Select((x, i) => x - 0.05 * Sign(m[i])).ToArray();
        });
    }

    [Fact]
    public void Lion_interpolates_for_the_sign_then_updates_momentum_with_beta2()
    {
        var p = new QuadraticProblem();
        double lr = 0.03, b1 = 0.9, b2 = 0.99, wd = 0.1;
        using var opt = new Lion([p.W], lr, b1, b2, wd);
        var m = new double[5];
        Compare(opt, p, (w, g, _) =>
        {
            var next = new double[5];
            for (var i = 0; i < 5; i++)
            {
                var c = b1 * m[i] + (1 - b1) * g[i];
                next[i] = w[i] - lr * (Sign(c) + wd * w[i]);
                m[i] = b2 * m[i] + (1 - b2) * g[i];
            }
            return next;
        });
    }

    static double[] AdamDirection(double[] g, double[] m, double[] v, int t, double b1, double b2, double eps)
    {
        var u = new double[g.Length];
        for (var i = 0; i < g.Length; i++)
        {
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            var mHat = m[i] / (1 - Math.Pow(b1, t));
            var vHat = v[i] / (1 - Math.Pow(b2, t));
            u[i] = mHat / (Math.Sqrt(vHat) + eps);
        }
        return u;
    }

    [Fact]
    public void Grams_takes_the_gradient_sign_and_the_adam_magnitude()
    {
        var p = new QuadraticProblem();
        double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.05;
        using var opt = new Grams([p.W], lr, b1, b2, eps, wd);
        double[] m = new double[5], v = new double[5];
        Compare(opt, p, (w, g, t) =>
        {
            var u = AdamDirection(g, m, v, t, b1, b2, eps);
            return w.Select((x, i) => x - lr * (Sign(g[i]) * Math.Abs(u[i]) + wd * x)).ToArray();
        });
    }

    [Fact]
    public void Cautious_adamw_masks_disagreeing_coordinates_and_rescales_by_the_mean_mask()
    {
        var p = new QuadraticProblem();
        double lr = 0.4, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01;
        using var opt = new CautiousAdam([p.W], lr, b1, b2, eps, wd);
        double[] m = new double[5], v = new double[5];
        var masked = 0;
        Compare(opt, p, (w, g, t) =>
        {
            var u = AdamDirection(g, m, v, t, b1, b2, eps);
            var mask = u.Select((x, i) => x * g[i] > 0 ? 1.0 : 0.0).ToArray();
            masked += mask.Count(x => x == 0);
            var mean = Math.Max(mask.Average(), 1e-3);
            return w.Select((x, i) => x * (1 - lr * wd) - lr * u[i] * mask[i] / mean).ToArray();
        });
        Assert.True(masked > 0, "the large step should overshoot some coordinate so that the mask acts");
    }

    [Fact]
    public void Cautious_adam_with_coupled_decay_adds_l2_to_the_gradient()
    {
        var p = new QuadraticProblem();
        double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.2;
        using var opt = new CautiousAdam([p.W], lr, b1, b2, eps, wd, decoupledWeightDecay: false);
        double[] m = new double[5], v = new double[5];
        Compare(opt, p, (w, g, t) =>
        {
            var gl2 = g.Select((x, i) => x + wd * w[i]).ToArray();
            var u = AdamDirection(gl2, m, v, t, b1, b2, eps);
            var mask = u.Select((x, i) => x * gl2[i] > 0 ? 1.0 : 0.0).ToArray();
            var mean = Math.Max(mask.Average(), 1e-3);
            return w.Select((x, i) => x - lr * u[i] * mask[i] / mean).ToArray();
        });
    }

    [Fact]
    public void Normalized_gd_takes_steps_of_length_eta_along_the_global_gradient()
    {
        var p = new QuadraticProblem();
        using var opt = new NormalizedGradientDescent([p.W], learningRate: 0.25);
        Compare(opt, p, (w, g, _) =>
        {
            var norm = Math.Sqrt(g.Sum(x => x * x));
            return w.Select((x, i) => x - 0.25 * g[i] / norm).ToArray();
        });
    }

    [Fact]
    public void Normalized_gd_uses_one_norm_across_tensors()
    {
        var a = new TorchSharp.Modules.Parameter(tensor(new[] { 1.0, 2.0 }), requires_grad: true);
        var b = new TorchSharp.Modules.Parameter(tensor(new[] { -1.0 }), requires_grad: true);
        using var opt = new NormalizedGradientDescent([a, b], learningRate: 1.0);
        // loss = 3a₀ + 4a₁ + 12b → g = (3, 4, 12), ‖g‖ = 13
        using var loss = 3 * a[0] + 4 * a[1] + 12 * b[0];
        loss.backward();
        opt.step();
        QuadraticProblem.AssertClose([1 - 3.0 / 13, 2 - 4.0 / 13], a.detach().data<double>().ToArray());
        QuadraticProblem.AssertClose([-1 - 12.0 / 13], b.detach().data<double>().ToArray());
    }

    [Fact]
    public void Learning_rate_set_through_param_groups_is_used_by_the_next_step()
    {
        var p = new QuadraticProblem();
        using var opt = new SignDescent([p.W], learningRate: 0.1);
        foreach (var g in opt.ParamGroups) g.LearningRate = 0.01;
        var after = p.Run(opt, 1)[0];
        var g0 = QuadraticProblem.Gradient(QuadraticProblem.Start);
        QuadraticProblem.AssertClose(QuadraticProblem.Start.Select((x, i) => x - 0.01 * Math.Sign(g0[i])).ToArray(), after);
    }

    [Fact]
    public void Parameters_without_gradient_are_left_alone()
    {
        var used = new TorchSharp.Modules.Parameter(tensor(new[] { 1.0 }), requires_grad: true);
        var unused = new TorchSharp.Modules.Parameter(tensor(new[] { 5.0 }), requires_grad: true);
        using var opt = new Lion([used, unused], learningRate: 0.1);
        using var loss = (2 * used).sum();
        loss.backward();
        opt.step();
        Assert.Equal(0.9, used.detach().item<double>(), 12);
        Assert.Equal(5.0, unused.detach().item<double>(), 12);
    }

    [Theory]
    [InlineData("lr")]
    [InlineData("beta1")]
    [InlineData("beta2")]
    [InlineData("epsilon")]
    [InlineData("momentum")]
    [InlineData("weightDecay")]
    public void Bad_hyperparameters_throw_naming_the_argument(string which)
    {
        var p = new QuadraticProblem();
        var ex = Assert.ThrowsAny<ArgumentException>(() =>
        {
            using torch.optim.Optimizer o = which switch
            {
                "lr" => new Lion([p.W], learningRate: -1),
                "beta1" => new Grams([p.W], beta1: 1.0),
                "beta2" => new CautiousAdam([p.W], beta2: -0.1),
                "epsilon" => new Grams([p.W], epsilon: 0),
                "momentum" => new SignDescent([p.W], 0.1, momentum: 1.5),
                _ => new NormalizedGradientDescent([p.W], 0.1, weightDecay: -1),
            };
        });
        Assert.Equal(which == "lr" ? "learningRate" : which, ex.ParamName);
    }
}
