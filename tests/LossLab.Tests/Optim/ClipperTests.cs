using LossLab.Optim;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Tests.Optim;

public class ClipperTests
{
    /// <summary>Two parameters whose gradients are set to <paramref name="ga"/> and <paramref name="gb"/> through a linear loss.</summary>
    static (Parameter A, Parameter B) WithGradients(double[] ga, double[] gb, (Parameter A, Parameter B)? reuse = null)
    {
        var (a, b) = reuse ?? (new Parameter(zeros(ga.Length, dtype: ScalarType.Float64), requires_grad: true),
                               new Parameter(zeros(gb.Length, dtype: ScalarType.Float64), requires_grad: true));
        a.grad?.zero_(); b.grad?.zero_();
        using var ca = tensor(ga); using var cb = tensor(gb);
        using var loss = (ca * a).sum() + (cb * b).sum();
        loss.backward();
        return (a, b);
    }

    static double[] Grad(Parameter p) => p.grad!.data<double>().ToArray();

    [Fact]
    public void Per_tensor_clipping_clips_each_tensor_to_its_own_norm()
    {
        var (a, b) = WithGradients([3, 4], [1]);          // norms 5 and 1
        var norm = new PerTensorClipper(2.5).Clip([a, b], 0);
        Assert.Equal(Math.Sqrt(26), norm, 12);
        QuadraticProblem.AssertClose([1.5, 2], Grad(a));
        QuadraticProblem.AssertClose([1], Grad(b));
    }

    [Fact]
    public void Per_tensor_clipping_runs_inside_the_trainer()
    {
        // w ∈ ℝ², loss = (x·w)² summed over one row x = (3, 4), w = (1, 1): g = 2·7·(3, 4) = (42, 56), ‖g‖ = 70;
        // clipped to norm 1 and stepped with SGD(η = 0.1): w = (1 − 0.1·0.6, 1 − 0.1·0.8)
        var model = nn.Linear(2, 1, hasBias: false, dtype: ScalarType.Float64);
        using (no_grad()) model.weight!.fill_(1.0);
        using var sgd = torch.optim.SGD(model.parameters(), 0.1);
        var trainer = new LossLab.Training.Trainer(model, sgd, b => model.forward(b.Inputs).square().sum()) { Clipper = new PerTensorClipper(1.0) };
        trainer.TrainStep(tensor(new[] { 3.0, 4.0 }).reshape(1, 2), zeros(1));
        QuadraticProblem.AssertClose([0.94, 0.92], model.weight!.detach().data<double>().ToArray());
    }

    [Fact]
    public void AdaGc_clips_globally_in_warmup_then_per_tensor_against_the_ema_of_clipped_norms()
    {
        double lambdaAbs = 5, lambdaRel = 1.05, beta = 0.9;
        var clipper = new AdaGcClipper(lambdaAbs, lambdaRel, beta, warmupSteps: 2);
        double[][] ga = [[3, 4], [0, 2], [6, 8], [0.3, 0.4], [30, 40]];
        double[][] gb = [[12], [1], [1], [1], [1]];
        (Parameter A, Parameter B)? ps = null;
        double gammaA = double.PositiveInfinity, gammaB = double.PositiveInfinity;
        for (var t = 0; t < ga.Length; t++)
        {
            ps = WithGradients(ga[t], gb[t], ps);
            clipper.Clip([ps.Value.A, ps.Value.B], t);
            double na = Math.Sqrt(ga[t].Sum(x => x * x)), nb = Math.Abs(gb[t][0]);
            double ha, hb;
            if (t < 2)
            {
                var global = Math.Sqrt(na * na + nb * nb);
                ha = hb = Math.Min(1, lambdaAbs / global);
                gammaA = Math.Min(gammaA, ha * na);
                gammaB = Math.Min(gammaB, hb * nb);
            }
            else
            {
                ha = Math.Min(lambdaRel * gammaA / na, 1);
                hb = Math.Min(lambdaRel * gammaB / nb, 1);
                gammaA = beta * gammaA + (1 - beta) * ha * na;
                gammaB = beta * gammaB + (1 - beta) * hb * nb;
            }
            QuadraticProblem.AssertClose(ga[t].Select(x => ha * x).ToArray(), Grad(ps.Value.A));
            QuadraticProblem.AssertClose(gb[t].Select(x => hb * x).ToArray(), Grad(ps.Value.B));
            Assert.Equal(gammaA, clipper.Threshold(ps.Value.A)!.Value, 12);
            Assert.Equal(gammaB, clipper.Threshold(ps.Value.B)!.Value, 12);
        }
    }

    [Fact]
    public void Clippers_reject_non_positive_thresholds()
    {
        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(() => new PerTensorClipper(-1)).ParamName);
        Assert.Equal("absoluteThreshold", Assert.Throws<ArgumentOutOfRangeException>(() => new AdaGcClipper(absoluteThreshold: 0)).ParamName);
        Assert.Equal("relativeThreshold", Assert.Throws<ArgumentOutOfRangeException>(() => new AdaGcClipper(relativeThreshold: 0)).ParamName);
        Assert.Equal("beta", Assert.Throws<ArgumentOutOfRangeException>(() => new AdaGcClipper(beta: 1)).ParamName);
        Assert.Equal("warmupSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new AdaGcClipper(warmupSteps: -1)).ParamName);
        var (a, b) = WithGradients([1], [1]);
        Assert.Equal("step", Assert.Throws<ArgumentOutOfRangeException>(() => new AdaGcClipper().Clip([a, b], -1)).ParamName);
    }

    [Fact]
    public void Spike_detector_flags_losses_above_k_times_the_window_median()
    {
        var d = new LossSpikeDetector(window: 3, factor: 1.5);
        // window not yet full: no spike even for a large loss
        Assert.False(d.Observe(1.0)); Assert.False(d.Observe(10.0)); Assert.False(d.Observe(1.2));
        // window {1, 10, 1.2}: median 1.2, threshold 1.8
        Assert.True(d.Observe(1.9));
        // window {10, 1.2, 1.9}: median 1.9, threshold 2.85
        Assert.False(d.Observe(2.8));
        Assert.True(d.Observe(double.NaN));
        Assert.Equal(2, d.Spikes);
        Assert.Equal(6, d.Steps);
        Assert.Equal(1.9, d.Median, 12);     // NaN did not enter the window {1.2, 1.9, 2.8}
    }

    [Fact]
    public void Spike_detector_rejects_bad_settings()
    {
        Assert.Equal("window", Assert.Throws<ArgumentOutOfRangeException>(() => new LossSpikeDetector(window: 0)).ParamName);
        Assert.Equal("factor", Assert.Throws<ArgumentOutOfRangeException>(() => new LossSpikeDetector(factor: 1)).ParamName);
    }
}
