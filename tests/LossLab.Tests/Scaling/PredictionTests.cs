using LossLab.Optim;
using LossLab.Scaling;

namespace LossLab.Tests.Scaling;

public class PredictionTests
{
    [Fact]
    public void Predictions_equal_the_closed_form_at_hand_chosen_parameters()
    {
        // Power law plus constant, θ = (log E, log A, α) with E = 1.5, A = 20, α = 0.4.
        var power = new PowerLaw("N");
        foreach (var n in new[] { 10.0, 1e3, 1e6 })
        {
            Assert.Equal(1.5 + 20 * Math.Pow(n, -0.4), power.PredictFromFitSpace([Math.Log(1.5), Math.Log(20), 0.4], [n]), 1e-12);
            Assert.Equal(power.Predict([1.5, 20, 0.4], [n]), power.PredictFromFitSpace([Math.Log(1.5), Math.Log(20), 0.4], [n]), 1e-12);
        }
        // Chinchilla at Hoffmann et al.'s printed parameters, fit space (log A, log B, log E, α, β).
        var h = ChinchillaParameters.Hoffmann2022;
        double expected = 1.69 + 406.4 / Math.Pow(7e10, 0.34) + 410.7 / Math.Pow(1.4e12, 0.28);
        Assert.Equal(expected, ChinchillaLaw.Instance.PredictFromFitSpace([Math.Log(406.4), Math.Log(410.7), Math.Log(1.69), 0.34, 0.28], [7e10, 1.4e12]), 1e-12);
        Assert.Equal(expected, h.Loss(7e10, 1.4e12), 1e-12);
    }

    static LawFit FitAt(ScalingLaw law, double[] theta) =>
        new(law, [new StartResult(0, theta, theta, law.FromFitSpace(theta), 0, 0, 1, 1, ExitReason.GradientTolerance)], 0, 1);

    [Fact]
    public void A_fit_predicts_from_fit_space_even_when_a_positive_parameter_underflows()
    {
        // E = exp(−800) underflows to 0 in natural units: L = A·N^−α exactly.
        var fit = FitAt(new PowerLaw("N"), [-800, Math.Log(20), 0.4]);
        Assert.Equal(0, fit["E"]);
        Assert.Equal(20 * Math.Pow(1e4, -0.4), fit.Predict(1e4), 1e-12);
        Assert.Throws<ArgumentOutOfRangeException>(() => fit.Law.Predict(fit.Parameters.ToArray(), [1e4]));
        var points = LawPoints.FromColumns([1.0, 2.0], [1e2, 1e4]);
        Assert.Equal(new[] { fit.Predict(1e2), fit.Predict(1e4) }, fit.Predict(points));
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => fit.Predict(1.0, 2.0)).ParamName);
    }

    [Fact]
    public void Prediction_error_matches_hand_computed_values()
    {
        var e = new PredictionError([1.1, 1.8, 3.0], [1.0, 2.0, 3.0]);
        Assert.Equal([0.1, 0.1, 0.0], e.RelativeErrors.Select(v => Math.Round(v, 12)));
        Assert.Equal(0.2 / 3, e.MeanAbsoluteRelativeError, 12);
        Assert.Equal(0.1, e.MaxAbsoluteRelativeError, 12);
        Assert.Equal(Math.Sqrt((Math.Pow(Math.Log(1.1), 2) + Math.Pow(Math.Log(0.9), 2)) / 3), e.RootMeanSquareLogError, 12);
        // R² = 1 − (0.01 + 0.04 + 0)/((1 − 2)² + 0 + (3 − 2)²) = 0.975.
        Assert.Equal(0.975, e.RSquared, 12);
        Assert.True(double.IsNaN(new PredictionError([double.NaN, 1.0], [1.0, 1.0]).MaxAbsoluteRelativeError));
        var points = LawPoints.FromColumns([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]);
        Assert.Equal(e.RSquared, PredictionError.Of(points, x => x[0] switch { 1.0 => 1.1, 2.0 => 1.8, _ => 3.0 }).RSquared, 15);
    }

    [Fact]
    public void Prediction_error_rejects_bad_inputs()
    {
        Assert.Equal("predicted", Assert.Throws<ArgumentException>(() => new PredictionError([1.0], [1.0, 2.0])).ParamName);
        Assert.Equal("observed", Assert.Throws<ArgumentException>(() => new PredictionError([], [])).ParamName);
        Assert.Equal("observed", Assert.Throws<ArgumentOutOfRangeException>(() => new PredictionError([1.0], [0.0])).ParamName);
    }

    [Fact]
    public void Split_is_the_seeded_shuffle_and_held_out_fits_use_it()
    {
        var points = LawPoints.FromColumns(Enumerable.Range(1, 20).Select(i => 1.0 + 10.0 / i).ToArray(), Enumerable.Range(1, 20).Select(i => (double)i).ToArray());
        var (train, test) = points.Split(0.2, seed: 4);
        var order = Enumerable.Range(0, 20).ToArray();
        LossLab.Training.Seeds.Random(4, LawPoints.SplitStream).Shuffle(order);
        Assert.Equal(order.Take(4).Order().Select(i => points.Loss(i)), test.Losses);
        Assert.Equal(order.Skip(4).Order().Select(i => points.Loss(i)), train.Losses);
        var grid = StartGrid.Product([0.0, 1.0], [2.0, 4.0], [0.3, 1.0]);
        var fitter = new LawFitter(new PowerLaw("N"));
        var viaSplit = fitter.HeldOut(points, 0.2, 4, grid);
        var direct = fitter.HeldOut(train, test, grid);
        Assert.Equal(direct.Fit.Parameters, viaSplit.Fit.Parameters);
        Assert.Equal(direct.Predicted, viaSplit.Predicted);
        Assert.Equal(direct.Fit.Predict(test), direct.Predicted);
        Assert.Equal("testFraction", Assert.Throws<ArgumentOutOfRangeException>(() => points.Split(0, 1)).ParamName);
        Assert.Equal("points", Assert.Throws<ArgumentException>(() => points.Subset([0]).Split(0.5, 1)).ParamName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(256)]
    public void The_sweep_schedule_gives_the_rates_of_the_former_hand_written_cosine(long steps)
    {
        const double peak = 3e-3;
        var schedule = MarkovLmSweep.Schedule(peak, steps);
        for (long step = 0; step < steps; step++)
        {
            // The formula MarkovLmSweep.Train used before it called Schedules.Cosine.
            double old = peak * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * step / Math.Max(1, steps - 1))));
            Assert.Equal(old, schedule(step), 1e-15 * peak);   // equal up to the order of floating-point operations
        }
        Assert.Equal(peak, schedule(0));
        Assert.Equal(steps == 1 ? peak : 0.1 * peak, schedule(steps - 1), 1e-18);
    }
}
