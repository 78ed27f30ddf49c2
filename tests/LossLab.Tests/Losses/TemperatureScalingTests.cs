using LossLab.Losses;
using TorchSharp;
using static LossLab.Tests.Losses.LossTestKit;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses;

public class TemperatureScalingTests
{
    static double Nll(double[] z, long[] y, int c, double t) =>
        Enumerable.Range(0, y.Length).Average(i => -LogSoftmax(Row(z, i, c).Select(v => v / t).ToArray())[y[i]]);

    [Fact]
    public void Fitted_temperature_minimises_the_nll_found_by_golden_section_search()
    {
        // Over-confident logits: labels drawn from softmax(z/3), logits given as z, so the best T is near 3.
        const int n = 400, c = 5;
        var rng = new Random(90);
        var z = Uniform(n * c, 91, -4, 4);
        var y = new long[n];
        for (int i = 0; i < n; i++)
        {
            var p = Softmax(Row(z, i, c).Select(v => v / 3).ToArray());
            double u = rng.NextDouble(), acc = 0;
            y[i] = c - 1;
            for (int k = 0; k < c; k++) { acc += p[k]; if (u < acc) { y[i] = k; break; } }
        }
        var fit = TemperatureScaling.Fit(F64(z, n, c), I64(y));
        // Golden-section search in log T (the NLL is unimodal there), in the test.
        double lo = Math.Log(0.5), hi = Math.Log(20), r = (Math.Sqrt(5) - 1) / 2;
        double a = hi - r * (hi - lo), b = lo + r * (hi - lo), fa = Nll(z, y, c, Math.Exp(a)), fb = Nll(z, y, c, Math.Exp(b));
        while (hi - lo > 1e-9)
        {
            if (fa < fb) { hi = b; b = a; fb = fa; a = hi - r * (hi - lo); fa = Nll(z, y, c, Math.Exp(a)); }
            else { lo = a; a = b; fa = fb; b = lo + r * (hi - lo); fb = Nll(z, y, c, Math.Exp(b)); }
        }
        double bestT = Math.Exp(0.5 * (lo + hi)), best = Nll(z, y, c, bestT);
        Assert.InRange(fit.Temperature, bestT * (1 - 1e-6), bestT * (1 + 1e-6));
        Assert.InRange(fit.Temperature, 2, 4.5);
        Assert.True(fit.NllAfter <= best + 1e-12);
        Close(Nll(z, y, c, fit.Temperature), fit.NllAfter, 1e-12);
        Close(Nll(z, y, c, 1), fit.NllBefore, 1e-12);
        Assert.False(fit.AtBound);
        var scaled = fit.Apply(F64(z, n, c)).data<double>().ToArray();
        Close(z[7] / fit.Temperature, scaled[7], 1e-15);
    }

    [Fact]
    public void All_correct_confident_predictions_drive_the_temperature_to_its_lower_bound()
    {
        var fit = TemperatureScaling.Fit(F64(new[] { 3.0, 0, 0, 4 }, 2, 2), I64(new long[] { 0, 1 }));
        Assert.True(fit.AtBound);
        Assert.Equal(TemperatureScaling.MinTemperature, fit.Temperature, 12);
    }

    [Fact]
    public void All_wrong_predictions_drive_the_temperature_to_its_upper_bound()
    {
        var fit = TemperatureScaling.Fit(F64(new[] { 3.0, 0, 0, 4 }, 2, 2), I64(new long[] { 1, 0 }));
        Assert.True(fit.AtBound);
        Assert.Equal(TemperatureScaling.MaxTemperature, fit.Temperature, 9);
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => TemperatureScaling.Fit(torch.zeros(0, 3), torch.zeros(0, ScalarType.Int64))).ParamName);
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => TemperatureScaling.Fit(F64(new[] { double.NaN, 0 }, 1, 2), I64(new long[] { 0 }))).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => TemperatureScaling.Fit(torch.zeros(2, 3), I64(new long[] { 0 }))).ParamName);
    }
}
