using LossLab.Scaling;
using static LossLab.Tests.Scaling.LawTestData;

namespace LossLab.Tests.Scaling;

/// <summary>Every argument check of the laws and their helpers, each made to throw.</summary>
public class LawValidationTests
{
    sealed class NoParameters() : ScalingLaw("none", "L = 1", ["x"], [])
    {
        public override double LogValue(ReadOnlySpan<double> theta, ReadOnlySpan<double> features, Span<double> gradient) => 0;
    }

    sealed class Duplicated() : ScalingLaw("dup", "L = a", ["x"], [new("a", true), new("a", true)])
    {
        public override double LogValue(ReadOnlySpan<double> theta, ReadOnlySpan<double> features, Span<double> gradient) => 0;
    }

    [Fact]
    public void Law_declarations_and_predictions_are_checked()
    {
        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => new NoParameters()).ParamName);
        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => new Duplicated()).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => ChinchillaLaw.Instance.Predict([406.4, 410.7, 1.69, 0.34, 0.28], [1e9])).ParamName);
        Assert.Equal("D", Assert.Throws<ArgumentOutOfRangeException>(() => ChinchillaLaw.Instance.Predict([406.4, 410.7, 1.69, 0.34, 0.28], [1e9, 0])).ParamName);
        Assert.Equal("L_x", Assert.Throws<ArgumentOutOfRangeException>(() => new ShiftedPowerLaw().Predict([1, 1, 1, 1], [-2])).ParamName);
    }

    [Fact]
    public void Learning_rate_traces_are_checked()
    {
        Assert.Equal("rates", Assert.Throws<ArgumentException>(() => new LearningRateTrace([1e-3])).ParamName);
        Assert.Equal("rates", Assert.Throws<ArgumentException>(() => new LearningRateTrace([1e-3, 0])).ParamName);
        Assert.Equal("warmupArea", Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateTrace([1e-3, 1e-3], -1)).ParamName);
        Assert.Equal("warmupSteps", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateTrace.FromSteps([1e-3, 1e-3], 2)).ParamName);
        var trace = LearningRateTrace.FromSteps([1e-4, 2e-4, 3e-4, 3e-4, 2e-4], warmupSteps: 2);
        Assert.Equal(3e-4, trace.WarmupArea, 1e-18);
        Assert.Equal([2e-4, 3e-4, 3e-4, 2e-4], trace.Rates);
        Assert.Equal(3, trace.Steps);
        Assert.Equal(5e-4, trace.Area(2, 3), 1e-18);
    }

    [Fact]
    public void Loss_curve_laws_check_traces_and_steps()
    {
        var traces = new[] { Cosine(10) };
        Assert.Equal("traces", Assert.Throws<ArgumentException>(() => new MultiPowerLaw([])).ParamName);
        Assert.Equal("traces", Assert.Throws<ArgumentException>(() => new LearningRateAnnealingLaw([])).ParamName);
        Assert.Equal("lambda", Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateAnnealingLaw(traces, 1.0)).ParamName);
        var mpl = new MultiPowerLaw(traces);
        double[] p = [2.4, 0.65, 0.43, 520, 2.0, 0.6, 0.64];
        Assert.Equal("trace", Assert.Throws<ArgumentOutOfRangeException>(() => mpl.Predict(p, [1, 5])).ParamName);
        Assert.Equal("step", Assert.Throws<ArgumentOutOfRangeException>(() => mpl.Predict(p, [0, 11])).ParamName);
        Assert.Equal("step", Assert.Throws<ArgumentOutOfRangeException>(() => mpl.Predict(p, [0, 2.5])).ParamName);
        var annealing = new LearningRateAnnealingLaw(traces);
        Assert.Equal("trace", Assert.Throws<ArgumentOutOfRangeException>(() => annealing.Predict([2, 1, 0.5, 1], [-1, 5])).ParamName);
        Assert.Equal("step", Assert.Throws<ArgumentOutOfRangeException>(() => annealing.Predict([2, 1, 0.5, 1], [0, 0])).ParamName);
    }

    [Fact]
    public void Mixture_law_checks_domains_and_weights()
    {
        Assert.Equal("domains", Assert.Throws<ArgumentOutOfRangeException>(() => new DataMixtureLaw(0)).ParamName);
        var law = new DataMixtureLaw(2);
        double[] p = [1.7, 400, 0.34, 410, 0.28, 2.0, 1.5, 0.6, 0.4];
        Assert.Equal("h_2", Assert.Throws<ArgumentOutOfRangeException>(() => law.Predict(p, [1e8, 1e9, 0.5, -0.5])).ParamName);
        Assert.Equal("h", Assert.Throws<ArgumentException>(() => law.Predict(p, [1e8, 1e9, 0, 0])).ParamName);
    }

    [Fact]
    public void Fitter_helpers_check_their_arguments()
    {
        var law = new PowerLaw("N");
        var xs = Enumerable.Range(0, 10).Select(i => new[] { Math.Pow(10, 3 + i) }).ToArray();
        var points = new LawPoints(xs, xs.Select(x => law.Predict([2, 50, 0.3], x)).ToArray());
        var grid = StartGrid.Product([0, 1], [2, 4], [0.3]);
        var fitter = new LawFitter(law);
        var fit = fitter.Fit(points, grid);
        Assert.Equal("objective", Assert.Throws<ArgumentException>(() => new LawFitter(new PowerLaw("D")).Fit(fitter.Objective(points), grid)).ParamName);
        Assert.Equal("extraStarts", Assert.Throws<ArgumentException>(() => fitter.Bootstrap(points, fit, 10, 0, 0.95, StartGrid.Product([0], [1]))).ParamName);
        Assert.Equal("test", Assert.Throws<ArgumentException>(() => fitter.HeldOut(points, new LawPoints([], []), grid)).ParamName);
        Assert.Equal("points", Assert.Throws<ArgumentException>(() => fitter.HeldOut(points.Subset([0]), 0.5, 0, grid)).ParamName);
        Assert.Equal("fit", Assert.Throws<ArgumentException>(() => ChinchillaParameters.FromFit(fit)).ParamName);
        Assert.Equal("p", Assert.Throws<ArgumentException>(() => ChinchillaParameters.FromArray([1.0, 2.0])).ParamName);
        Assert.Equal("group", Assert.Throws<ArgumentException>(() => IsoFlopAnalysis.Minimum([])).ParamName);
        // Extra bootstrap starts are used: with the truth among them every resample stays at the truth (noise-free points).
        var boot = fitter.Bootstrap(points, fit, 5, 1, 0.9, StartGrid.FromNatural(law, 2, 50, 0.3));
        Assert.All(boot.Samples, s => Assert.Equal(0.3, s[2], 1e-6));
    }
}
