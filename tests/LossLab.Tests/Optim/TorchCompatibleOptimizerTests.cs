using LossLab.Optim;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Tests.Optim;

/// <summary>LossLab's Adam, AdamW and SGD (and their <c>Optimizers</c> factory): their trajectories against the update rules written out in float64, and bit for
/// bit against TorchSharp's <c>torch.optim</c> on a small network (they replace those in every training loop, so
/// switching must not move a single number).</summary>
public class TorchCompatibleOptimizerTests
{
    const int Steps = 6;

    static Func<double[], double[], int, double[]> AdamRule(double lr, double b1, double b2, double eps, double l2, double decoupled)
    {
        var m = new double[5];
        var v = new double[5];
        return (w, g, t) =>
        {
            var next = new double[5];
            for (var i = 0; i < 5; i++)
            {
                var wi = w[i] * (1 - lr * decoupled);
                var gi = g[i] + l2 * w[i];
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                var mHat = m[i] / (1 - Math.Pow(b1, t));
                var denominator = Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(b2, t)) + eps;
                next[i] = wi - lr * mHat / denominator;
            }
            return next;
        };
    }

    static void FollowsRule(Func<Parameter, torch.optim.Optimizer> optimizer, Func<double[], double[], int, double[]> rule)
    {
        var p = new QuadraticProblem();
        using var opt = optimizer(p.W);
        var w = (double[])QuadraticProblem.Start.Clone();
        var trace = p.Run(opt, Steps);
        for (var t = 1; t <= Steps; t++) { w = rule(w, QuadraticProblem.Gradient(w), t); QuadraticProblem.AssertClose(w, trace[t - 1]); }
    }

    [Fact]
    public void Adam_follows_the_bias_corrected_moment_rule_with_l2_in_the_gradient() =>
        FollowsRule(w => new AdamOptimizer([w], 0.05, 0.8, 0.95, 1e-6, weightDecay: 0.1), AdamRule(0.05, 0.8, 0.95, 1e-6, l2: 0.1, decoupled: 0));

    [Fact]
    public void AdamW_decays_the_weights_before_the_adam_step() =>
        FollowsRule(w => new AdamWOptimizer([w], 0.05, 0.9, 0.999, 1e-8, weightDecay: 0.2), AdamRule(0.05, 0.9, 0.999, 1e-8, l2: 0, decoupled: 0.2));

    [Theory]
    [InlineData(0.0, 0.0, false)]
    [InlineData(0.9, 0.0, false)]
    [InlineData(0.9, 0.3, false)]
    [InlineData(0.9, 0.0, true)]
    public void Sgd_follows_heavy_ball_or_nesterov_momentum_with_l2(double mu, double dampening, bool nesterov)
    {
        double lr = 0.1, l2 = 0.05;
        var p = new QuadraticProblem();
        using var opt = new SgdOptimizer([p.W], lr, mu, dampening, l2, nesterov);
        double[]? b = null;
        var w = (double[])QuadraticProblem.Start.Clone();
        var trace = p.Run(opt, Steps);
        for (var t = 1; t <= Steps; t++)
        {
            var g = QuadraticProblem.Gradient(w).Select((gi, i) => gi + l2 * w[i]).ToArray();
            var d = g;
            if (mu != 0)
            {
                b = b is null ? (double[])g.Clone() : b.Select((bi, i) => mu * bi + (1 - dampening) * g[i]).ToArray();
                d = nesterov ? g.Select((gi, i) => gi + mu * b[i]).ToArray() : b;
            }
            w = w.Select((x, i) => x - lr * d[i]).ToArray();
            QuadraticProblem.AssertClose(w, trace[t - 1]);
        }
    }

    /// <summary>Trains two copies of one small network, one with TorchSharp's optimizer and one with LossLab's, and
    /// returns the largest absolute difference between their parameters after each step.</summary>
    static double MaxDifference(Func<IEnumerable<Parameter>, torch.optim.Optimizer> torchOptimizer,
        Func<IEnumerable<Parameter>, torch.optim.Optimizer> lossLabOptimizer)
    {
        torch.manual_seed(5);
        using var a = nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.Linear(16, 3));
        torch.manual_seed(5);
        using var b = nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.Linear(16, 3));
        using var x = torch.randn(32, 6, generator: new Generator(9));
        using var y = torch.randint(0, 3, [32], generator: new Generator(10));
        using var oa = torchOptimizer(a.parameters());
        using var ob = lossLabOptimizer(b.parameters());
        double worst = 0;
        for (var step = 0; step < 20; step++)
        {
            foreach (var (model, opt) in new[] { ((nn.Module<Tensor, Tensor>)a, oa), (b, ob) })
            {
                using var scope = torch.NewDisposeScope();
                opt.zero_grad();
                nn.functional.cross_entropy(model.forward(x), y).backward();
                opt.step();
            }
            foreach (var (pa, pb) in a.parameters().Zip(b.parameters()))
            {
                using var diff = (pa - pb).abs().max();
                worst = Math.Max(worst, diff.ToDouble());
            }
        }
        return worst;
    }

    [Fact]
    public void Adam_gives_the_same_bits_as_torch_optim_adam() =>
        Assert.Equal(0.0, MaxDifference(ps => torch.optim.Adam(ps, 0.01, weight_decay: 1e-3), ps => new AdamOptimizer(ps, 0.01, weightDecay: 1e-3)));

    [Fact]
    public void AdamW_gives_the_same_bits_as_torch_optim_adamw() =>
        Assert.Equal(0.0, MaxDifference(ps => torch.optim.AdamW(ps, 0.01, weight_decay: 0.05), ps => new AdamWOptimizer(ps, 0.01, weightDecay: 0.05)));

    [Fact]
    public void Sgd_gives_the_same_bits_as_torch_optim_sgd() =>
        Assert.Equal(0.0, MaxDifference(ps => torch.optim.SGD(ps, 0.05, momentum: 0.9, weight_decay: 5e-4),
            ps => new SgdOptimizer(ps, 0.05, momentum: 0.9, weightDecay: 5e-4)));

    [Fact]
    public void Nesterov_without_momentum_is_refused()
    {
        var p = new QuadraticProblem();
        var e = Assert.Throws<ArgumentException>(() => new SgdOptimizer([p.W], 0.1, momentum: 0, nesterov: true));
        Assert.Contains("Nesterov", e.Message);
    }
}
