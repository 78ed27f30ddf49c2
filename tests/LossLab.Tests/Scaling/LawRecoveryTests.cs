using LossLab.Scaling;
using static LossLab.Tests.Scaling.LawTestData;

namespace LossLab.Tests.Scaling;

/// <summary>Each law's fit recovers the parameters that generated its points, exactly without noise and within a
/// tolerance with 1% log-normal noise.</summary>
public class LawRecoveryTests
{
    static readonly LawFitOptions Exact = new(ResidualLoss.LeastSquares, Lbfgs: new LbfgsOptions(GradientTolerance: 1e-13, FunctionTolerance: 1e-15, MaxIterations: 3000));
    static readonly LawFitOptions Robust = new(ResidualLoss.Huber(1e-3));

    static void AssertRecovered(ScalingLaw law, LawFit fit, double[] truth, double relative)
    {
        for (int j = 0; j < truth.Length; j++)
            Assert.True(Math.Abs(fit.Parameters[j] - truth[j]) <= relative * Math.Abs(truth[j]),
                $"{law.Name} {law.Parameters[j].Name}: fitted {fit.Parameters[j]}, true {truth[j]} (tolerance {relative:P2}); {fit}");
    }

    static LawPoints Points(ScalingLaw law, double[] truth, double[][] xs, double noise, int seed)
    {
        var rng = new Random(seed);
        return new LawPoints(xs, xs.Select(x => noise > 0 ? Noisy(law.Predict(truth, x), rng, noise) : law.Predict(truth, x)).ToArray());
    }

    static StartGrid Around(ScalingLaw law, double[] truth, params double[] factors)
    {
        // Starts at the truth scaled by each factor (positive parameters) or shifted (others), all combinations of two patterns.
        var starts = new List<double[]>();
        foreach (var f in factors)
        {
            starts.Add(law.ToFitSpace(truth.Select((v, j) => law.Parameters[j].Positive ? v * f : v * f).ToArray()));
            starts.Add(law.ToFitSpace(truth.Select((v, j) => j % 2 == 0 ? v * f : v / f).ToArray()));
        }
        return StartGrid.Of([.. starts]);
    }

    [Theory]
    [InlineData(0.0, 1e-6)]
    [InlineData(0.01, 0.12)]
    public void Power_law_plus_constant(double noise, double tolerance)
    {
        var law = new PowerLaw("N");
        double[] truth = [2.0, 50, 0.3];
        var xs = Enumerable.Range(0, 40).Select(i => new[] { Math.Pow(10, 3 + 6.0 * i / 39) }).ToArray();
        var fit = new LawFitter(law, noise > 0 ? Robust : Exact).Fit(Points(law, truth, xs, noise, 1),
            StartGrid.Product([0, 1], [2, 4, 6], [0.1, 0.5, 1]));
        AssertRecovered(law, fit, truth, tolerance);
    }

    [Theory]
    [InlineData(0.0, 1e-6)]
    [InlineData(0.01, 0.05)]
    public void Kaplan_model_size_law(double noise, double tolerance)
    {
        var law = KaplanPowerLaw.ModelSize;
        double[] truth = [8.8e13, 0.076];
        var xs = Enumerable.Range(0, 30).Select(i => new[] { Math.Pow(10, 5 + 4.0 * i / 29) }).ToArray();
        var fit = new LawFitter(law, noise > 0 ? Robust : Exact).Fit(Points(law, truth, xs, noise, 2),
            StartGrid.Product([20, 30, 40], [Math.Log(0.05), Math.Log(0.2)]));
        // With noise, N_c is poorly determined on its own (it is N_c^α that the data fix): check it in log space.
        Assert.True(Math.Abs(fit.Parameters[1] - truth[1]) <= tolerance * truth[1], fit.ToString());
        Assert.True(Math.Abs(Math.Log(fit.Parameters[0]) - Math.Log(truth[0])) <= Math.Max(1e-6, 4 * tolerance) * Math.Log(truth[0]), fit.ToString());
    }

    [Theory]
    [InlineData(0.0, 1e-6)]
    [InlineData(0.005, 0.15)]
    public void Kaplan_joint_law(double noise, double tolerance)
    {
        var law = new KaplanJointLaw();
        double[] truth = [6.4e13, 1.8e13, 0.076, 0.103];
        var xs = (from i in Enumerable.Range(0, 8) from k in Enumerable.Range(0, 8)
                  select new[] { Math.Pow(10, 5 + 0.6 * i), Math.Pow(10, 7 + 0.6 * k) }).ToArray();
        var fit = new LawFitter(law, noise > 0 ? Robust : Exact).Fit(Points(law, truth, xs, noise, 3),
            Around(law, truth, 0.5, 2.0));
        Assert.True(Math.Abs(fit.Parameters[2] - truth[2]) <= tolerance * truth[2], fit.ToString());
        Assert.True(Math.Abs(fit.Parameters[3] - truth[3]) <= tolerance * truth[3], fit.ToString());
        for (int j = 0; j < 2; j++)
            Assert.True(Math.Abs(Math.Log(fit.Parameters[j]) - Math.Log(truth[j])) <= Math.Max(1e-6, tolerance) * Math.Log(truth[j]), fit.ToString());
    }

    [Theory]
    [InlineData(0.0, 1e-5)]
    [InlineData(0.01, 0.1)]
    public void Chinchilla_law(double noise, double tolerance)
    {
        var law = ChinchillaLaw.Instance;
        double[] truth = [406.4, 410.7, 1.69, 0.34, 0.28];
        var xs = (from i in Enumerable.Range(0, 10) from k in Enumerable.Range(0, 10)
                  select new[] { Math.Pow(10, 7 + 0.35 * i), Math.Pow(10, 9 + 0.4 * k) }).ToArray();
        var grid = ChinchillaApproach3.Grid([0.5, 1], [0.5, 1], [0, 0.5], [0, 5, 10], [0, 5, 10]);
        var fit = new LawFitter(law, noise > 0 ? Robust : Exact).Fit(Points(law, truth, xs, noise, 4), grid);
        Assert.True(Math.Abs(fit["E"] - truth[2]) <= tolerance * truth[2], fit.ToString());
        Assert.True(Math.Abs(fit["alpha"] - truth[3]) <= tolerance * truth[3], fit.ToString());
        Assert.True(Math.Abs(fit["beta"] - truth[4]) <= tolerance * truth[4], fit.ToString());
        Assert.True(Math.Abs(Math.Log(fit["A"]) - Math.Log(truth[0])) <= Math.Max(1e-6, tolerance) * Math.Log(truth[0]), fit.ToString());
        Assert.True(Math.Abs(Math.Log(fit["B"]) - Math.Log(truth[1])) <= Math.Max(1e-6, tolerance) * Math.Log(truth[1]), fit.ToString());
    }

    [Theory]
    [InlineData(0.0, 1e-5)]
    [InlineData(0.002, 0.2)]
    public void Shifted_power_law(double noise, double tolerance)
    {
        var law = new ShiftedPowerLaw();
        double[] truth = [1.3, 0.9, 1.5, 1.9];
        var xs = Enumerable.Range(0, 30).Select(i => new[] { 1.8 + 3.0 * i / 29 }).ToArray();
        var fit = new LawFitter(law, noise > 0 ? Robust : Exact).Fit(Points(law, truth, xs, noise, 5), Around(law, truth, 0.7, 1.2));
        AssertRecovered(law, fit, truth, tolerance);
    }

    [Theory]
    [InlineData(0.0, 1e-4)]
    [InlineData(0.002, 0.25)]
    public void Data_mixture_law(double noise, double tolerance)
    {
        var law = new DataMixtureLaw(2);
        double[] truth = [1.7, 400, 0.34, 410, 0.28, 2.0, 1.0, 0.6, 0.4];
        var xs = (from i in Enumerable.Range(0, 4) from k in Enumerable.Range(0, 4) from h in new[] { 0.0, 0.2, 0.4, 0.6, 0.8, 1.0 }
                  select new[] { Math.Pow(10, 7 + i), Math.Pow(10, 9 + k), h, 1 - h }).ToArray();
        var fit = new LawFitter(law, noise > 0 ? Robust : Exact).Fit(Points(law, truth, xs, noise, 6), Around(law, truth, 0.8, 1.25));
        // E and the mixture term trade off weakly with noise; the exponents and the predictions are what must hold.
        if (noise == 0) AssertRecovered(law, fit, truth, tolerance);
        else
        {
            Assert.True(Math.Abs(fit["alpha"] - 0.34) <= tolerance * 0.34, fit.ToString());
            Assert.True(Math.Abs(fit["beta"] - 0.28) <= tolerance * 0.28, fit.ToString());
            foreach (var x in xs) Assert.True(Math.Abs(fit.Predict(x) / law.Predict(truth, x) - 1) < 0.01, fit.ToString());
        }
    }

    [Theory]
    [InlineData(0.0, 1e-4)]
    [InlineData(0.002, 0.25)]
    public void Multi_power_law_fitted_on_constant_and_step_decay_predicts_cosine(double noise, double tolerance)
    {
        var traces = new[] { Constant(120), Cosine(120), StepDecay(120) };
        var law = new MultiPowerLaw(traces);
        double[] truth = [2.4, 0.65, 0.43, 520, 2.0, 0.6, 0.64];
        var xs = (from tr in new[] { 0, 2 } from t in Enumerable.Range(1, 24) select new double[] { tr, 5 * t }).ToArray();
        var fit = new LawFitter(law, noise > 0 ? Robust : Exact).Fit(Points(law, truth, xs, noise, 7), Around(law, truth, 0.8, 1.25));
        if (noise == 0) AssertRecovered(law, fit, truth, tolerance);
        // Held-out schedule: the cosine.
        foreach (var t in new[] { 60, 90, 110, 120 })
        {
            double predicted = fit.Predict(1, t), actual = law.Predict(truth, [1, t]);
            Assert.True(Math.Abs(predicted / actual - 1) < (noise > 0 ? 0.01 : 1e-6), $"t = {t}: predicted {predicted}, actual {actual}; {fit}");
        }
    }

    [Theory]
    [InlineData(0.0, 1e-6)]
    [InlineData(0.002, 0.1)]
    public void Learning_rate_annealing_law(double noise, double tolerance)
    {
        var traces = new[] { Constant(200), Cosine(200) };
        var law = new LearningRateAnnealingLaw(traces);
        double[] truth = [2.4, 0.65, 0.43, 0.3];
        var xs = (from tr in new[] { 0, 1 } from t in Enumerable.Range(1, 40) select new double[] { tr, 5 * t }).ToArray();
        var fit = new LawFitter(law, noise > 0 ? Robust : Exact).Fit(Points(law, truth, xs, noise, 8), Around(law, truth, 0.7, 1.4));
        if (noise == 0) AssertRecovered(law, fit, truth, tolerance);
        else foreach (var x in xs) Assert.True(Math.Abs(fit.Predict(x) / law.Predict(truth, x) - 1) < 0.005, fit.ToString());
    }
}
