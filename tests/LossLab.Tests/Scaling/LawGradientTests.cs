using LossLab.Scaling;
using static LossLab.Tests.Scaling.LawTestData;

namespace LossLab.Tests.Scaling;

public class LawGradientTests
{
    /// <summary>(law, natural parameters, raw input rows, reference L(x; p) in natural parameters).</summary>
    public static IEnumerable<(ScalingLaw Law, double[] P, double[][] X, Func<double[], double[], double> Reference)> Cases()
    {
        yield return (new PowerLaw("N"), [1.7, 400, 0.34], [[1e6], [3e7], [2e9]], (x, p) => p[0] + p[1] * Math.Pow(x[0], -p[2]));
        yield return (KaplanPowerLaw.ModelSize, [8.8e13, 0.076], [[1e6], [1e9]], (x, p) => Math.Pow(p[0] / x[0], p[1]));
        yield return (KaplanPowerLaw.Data, [5.4e13, 0.095], [[1e8], [1e11]], (x, p) => Math.Pow(p[0] / x[0], p[1]));
        yield return (new KaplanJointLaw(), [6.4e13, 1.8e13, 0.076, 0.103], [[1e7, 1e9], [1e9, 1e8], [3e8, 3e10]],
            (x, p) => Math.Pow(Math.Pow(p[0] / x[0], p[2] / p[3]) + p[1] / x[1], p[3]));
        yield return (ChinchillaLaw.Instance, [406.4, 410.7, 1.69, 0.34, 0.28], [[1e8, 2e9], [7e10, 1.4e12], [5e7, 1e11]],
            (x, p) => Chinchilla(x[0], x[1], p));
        yield return (new ShiftedPowerLaw(), [1.3, 0.9, 1.5, 1.9], [[2.1], [3.0], [4.5]], (x, p) => p[0] * Math.Pow(x[0] - p[2], p[1]) + p[3]);
        yield return (new DataMixtureLaw(2), [1.7, 400, 0.34, 410, 0.28, 2.0, 1.5, 0.6, 0.4],
            [[1e8, 1e9, 0.3, 0.7], [1e9, 1e10, 1, 0], [3e7, 1e9, 0.5, 0.5]], (x, p) => Mixture(x[0], x[1], [x[2], x[3]], p));
        var traces = new[] { Cosine(60), StepDecay(60) };
        double[] mplP = [2.4, 0.65, 0.43, 520, 2.0, 0.6, 0.64];
        yield return (new MultiPowerLaw(traces), mplP, [[0, 1], [0, 30], [0, 60], [1, 45], [1, 60]],
            (x, p) => MultiPower(traces[(int)x[0]], (int)x[1], p));
        yield return (new LearningRateAnnealingLaw(traces, 0.999), [2.4, 0.65, 0.43, 5], [[0, 1], [0, 60], [1, 50]],
            (x, p) => Annealing(traces[(int)x[0]], (int)x[1], p, 0.999));
    }

    public static TheoryData<int> CaseIndices() => [.. Enumerable.Range(0, Cases().Count())];

    [Theory, MemberData(nameof(CaseIndices))]
    public void Prediction_matches_the_formula_written_in_natural_parameters(int index)
    {
        var (law, p, xs, reference) = Cases().ElementAt(index);
        foreach (var x in xs)
        {
            double expected = reference(x, p);
            Assert.Equal(expected, law.Predict(p, x), expected * 1e-12);
        }
    }

    [Theory, MemberData(nameof(CaseIndices))]
    public void Log_value_gradient_matches_central_differences(int index)
    {
        var (law, p, xs, _) = Cases().ElementAt(index);
        var theta = law.ToFitSpace(p);
        foreach (var x in xs)
        {
            var features = new double[law.FeatureCount];
            law.Prepare(x, features);
            var g = new double[law.ParameterCount];
            law.LogValue(theta, features, g);
            var numeric = NumericGradient(t => law.LogValue(t, features, []), theta);
            for (int j = 0; j < g.Length; j++)
                Assert.True(Math.Abs(g[j] - numeric[j]) <= 1e-6 * Math.Max(1, Math.Abs(numeric[j])),
                    $"{law.Name} ∂/∂{law.Parameters[j].Name} at x = [{string.Join(", ", x)}]: analytic {g[j]}, numeric {numeric[j]}");
        }
    }

    [Theory, MemberData(nameof(CaseIndices))]
    public void Batched_values_and_jacobian_equal_the_point_by_point_ones(int index)
    {
        var (law, p, xs, _) = Cases().ElementAt(index);
        // Repeat the rows so that vectorised paths see full vectors and a tail.
        var rows = Enumerable.Range(0, 11).Select(i => xs[i % xs.Length]).ToArray();
        int n = rows.Length, f = law.FeatureCount, k = law.ParameterCount;
        var theta = law.ToFitSpace(p);
        var columns = new double[n * f];
        var point = new double[f];
        for (int i = 0; i < n; i++) { law.Prepare(rows[i], point); for (int c = 0; c < f; c++) columns[c * n + i] = point[c]; }
        var values = new double[n]; var jacobian = new double[n * k];
        law.LogValues(theta, columns, values, jacobian);
        for (int i = 0; i < n; i++)
        {
            law.Prepare(rows[i], point);
            var g = new double[k];
            double v = law.LogValue(theta, point, g);
            Assert.Equal(v, values[i], 1e-13);
            for (int j = 0; j < k; j++) Assert.Equal(g[j], jacobian[j * n + i], 1e-12 * Math.Max(1, Math.Abs(g[j])));
        }
    }

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, true)]
    [InlineData(false, true, true)]
    [InlineData(false, false, false)]
    public void Objective_and_gradient_match_an_explicit_loop_and_central_differences(bool mean, bool weighted, bool huber)
    {
        var law = ChinchillaLaw.Instance;
        var rng = new Random(3);
        var truth = new double[] { 406.4, 410.7, 1.69, 0.34, 0.28 };
        var n = Enumerable.Range(0, 37).Select(_ => Math.Exp(rng.NextDouble() * 8 + 17)).ToArray();
        var d = Enumerable.Range(0, 37).Select(_ => Math.Exp(rng.NextDouble() * 8 + 20)).ToArray();
        var loss = n.Select((ni, i) => Noisy(Chinchilla(ni, d[i], truth), rng, 0.01)).ToArray();
        var weights = weighted ? Enumerable.Range(0, 37).Select(i => (double)(i % 3)).ToArray() : null;
        var residual = huber ? ResidualLoss.Huber(5e-3) : ResidualLoss.LeastSquares;
        var objective = new LawObjective(law, LawPoints.FromColumns(loss, n, d), residual, mean, weights);
        var p = new double[] { 500, 300, 1.8, 0.3, 0.3 };
        var theta = law.ToFitSpace(p);

        double sum = 0, wsum = 0;
        for (int i = 0; i < 37; i++)
        {
            double r = Math.Log(Chinchilla(n[i], d[i], p)) - Math.Log(loss[i]);
            double rho = huber && Math.Abs(r) > 5e-3 ? 5e-3 * (Math.Abs(r) - 2.5e-3) : 0.5 * r * r;
            double w = weights?[i] ?? 1;
            sum += w * rho; wsum += w;
        }
        double expected = mean ? sum / wsum : sum;
        var g = new double[5];
        Assert.Equal(expected, objective.Evaluate(theta, g), expected * 1e-11);
        var numeric = NumericGradient(t => objective.Value(t), theta);
        for (int j = 0; j < 5; j++) Assert.True(Math.Abs(g[j] - numeric[j]) <= 1e-6 * Math.Max(1e-3, Math.Abs(numeric[j])),
            $"∂f/∂θ{j}: analytic {g[j]}, numeric {numeric[j]}");
    }

    [Fact]
    public void Multi_power_law_of_a_constant_schedule_has_no_loss_drop()
    {
        var tr = Constant(50);
        var law = new MultiPowerLaw([tr]);
        double[] p = [2.4, 0.65, 0.43, 520, 2.0, 0.6, 0.64];
        double expected = 2.4 + 0.65 * Math.Pow(50 * 1e-3 + 0.05, -0.43);
        Assert.Equal(expected, law.Predict(p, [0, 50]), 1e-12);
    }

    [Fact]
    public void Shifted_power_law_is_undefined_below_the_source_floor()
    {
        var law = new ShiftedPowerLaw();
        Assert.True(double.IsNaN(law.Predict([1.3, 0.9, 1.5, 1.9], [1.4])));
    }
}
