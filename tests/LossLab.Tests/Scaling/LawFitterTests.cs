using LossLab.Scaling;
using static LossLab.Tests.Scaling.LawTestData;

namespace LossLab.Tests.Scaling;

public class LawFitterTests
{
    static (PowerLaw Law, double[] Truth, LawPoints Points) NoisyPowerLaw(int count, double noise, int seed)
    {
        var law = new PowerLaw("N");
        double[] truth = [2.0, 50, 0.3];
        var rng = new Random(seed);
        var xs = Enumerable.Range(0, count).Select(i => new[] { Math.Pow(10, 3 + 6.0 * i / (count - 1)) }).ToArray();
        return (law, truth, new LawPoints(xs, xs.Select(x => Noisy(law.Predict(truth, x), rng, noise)).ToArray()));
    }

    static readonly StartGrid PowerGrid = StartGrid.Product([0, 1], [2, 4, 6], [0.1, 0.5, 1]);

    [Fact]
    public void Every_start_is_reported_and_the_best_is_the_lowest_converged_objective()
    {
        var (law, _, points) = NoisyPowerLaw(40, 0.01, 1);
        var fit = new LawFitter(law).Fit(points, PowerGrid);
        Assert.Equal(PowerGrid.Count, fit.Starts.Count);
        for (int i = 0; i < fit.Starts.Count; i++)
        {
            var s = fit.Starts[i];
            Assert.Equal(i, s.Index);
            Assert.Equal(PowerGrid[i].ToArray(), s.Start);
            Assert.Equal(law.FromFitSpace(s.FitSpace), s.Parameters);
            Assert.Equal(fit.Law.ParameterCount, s.Parameters.Length);
        }
        double min = fit.Starts.Where(s => s.Converged).Min(s => s.Objective);
        Assert.Equal(min, fit.Objective);
        Assert.Equal(fit.Objective, new LawFitter(law).Objective(points).Value(fit.FitSpace.ToArray()), 1e-15);
        Assert.Equal(fit["alpha"], fit.Named["alpha"]);
    }

    [Fact]
    public void Serial_and_parallel_fits_agree_exactly()
    {
        var (law, _, points) = NoisyPowerLaw(40, 0.01, 1);
        var serial = new LawFitter(law, new LawFitOptions(MaxDegreeOfParallelism: 1)).Fit(points, PowerGrid);
        var parallel = new LawFitter(law).Fit(points, PowerGrid);
        for (int i = 0; i < serial.Starts.Count; i++) Assert.Equal(serial.Starts[i].Objective, parallel.Starts[i].Objective);
        Assert.Equal(serial.BestIndex, parallel.BestIndex);
    }

    [Fact]
    public void Bootstrap_is_seeded_and_its_intervals_cover_the_truth()
    {
        var (law, truth, points) = NoisyPowerLaw(60, 0.01, 2);
        var fitter = new LawFitter(law);
        var fit = fitter.Fit(points, PowerGrid);
        var first = fitter.Bootstrap(points, fit, resamples: 200, seed: 7);
        var again = fitter.Bootstrap(points, fit, resamples: 200, seed: 7);
        var other = fitter.Bootstrap(points, fit, resamples: 200, seed: 8);
        Assert.Equal(first.Samples.Select(s => s[2]), again.Samples.Select(s => s[2]));
        Assert.NotEqual(first.Samples.Select(s => s[2]), other.Samples.Select(s => s[2]));
        for (int j = 0; j < 3; j++)
        {
            var interval = first.Intervals[j];
            Assert.True(interval.Lower <= interval.Estimate && interval.Estimate <= interval.Upper, interval.ToString());
            Assert.True(interval.Contains(truth[j]), $"{interval} should contain {truth[j]}");
            // Percentile interval by hand (NumPy's linear interpolation).
            var sorted = first.Samples.Select(s => s[j]).Order().ToArray();
            double pos = 0.025 * (sorted.Length - 1);
            int lo = (int)pos;
            Assert.Equal(sorted[lo] + (pos - lo) * (sorted[lo + 1] - sorted[lo]), interval.Lower, 1e-12);
        }
        var (lower, upper) = first.Interval(p => p[0] + p[1]);
        Assert.True(lower < upper);
    }

    [Fact]
    public void Held_out_error_is_zero_for_points_of_the_law_and_small_with_noise()
    {
        var law = new PowerLaw("N");
        double[] truth = [2.0, 50, 0.3];
        var xs = Enumerable.Range(0, 40).Select(i => new[] { Math.Pow(10, 3 + 6.0 * i / 39) }).ToArray();
        var exact = new LawPoints(xs, xs.Select(x => law.Predict(truth, x)).ToArray());
        var fitter = new LawFitter(law, new LawFitOptions(ResidualLoss.LeastSquares, Lbfgs: new LbfgsOptions(GradientTolerance: 1e-14, FunctionTolerance: 1e-16)));
        var heldOut = fitter.HeldOut(exact, 0.25, seed: 3, PowerGrid);
        Assert.Equal(10, heldOut.Predicted.Count);
        Assert.True(heldOut.MaxAbsoluteRelativeError < 1e-7, heldOut.MaxAbsoluteRelativeError.ToString());

        // Extrapolation: train on the 30 smallest N, predict the 10 largest from noisy data.
        var (_, _, noisy) = NoisyPowerLaw(40, 0.005, 4);
        var err = new LawFitter(law).HeldOut(noisy.Subset(Enumerable.Range(0, 30)), noisy.Subset(Enumerable.Range(30, 10)), PowerGrid);
        double mean = err.Predicted.Zip(err.Observed, (p, o) => Math.Abs(p - o) / o).Average();
        Assert.Equal(mean, err.MeanAbsoluteRelativeError, 1e-15);
        Assert.True(err.MeanAbsoluteRelativeError < 0.01, err.MeanAbsoluteRelativeError.ToString());
    }

    [Fact]
    public void Mean_and_sum_objectives_reach_the_same_minimiser()
    {
        var (law, _, points) = NoisyPowerLaw(40, 0.01, 5);
        var sum = new LawFitter(law).Fit(points, PowerGrid);
        var mean = new LawFitter(law, new LawFitOptions(Mean: true, Lbfgs: new LbfgsOptions(GradientTolerance: 1e-14))).Fit(points, PowerGrid);
        Assert.Equal(sum.Objective / points.Count, mean.Objective, 1e-9 * mean.Objective);
        for (int j = 0; j < 3; j++) Assert.Equal(sum.Parameters[j], mean.Parameters[j], 1e-4 * Math.Abs(sum.Parameters[j]));
    }

    [Fact]
    public void Bad_arguments_throw_naming_the_argument()
    {
        var (law, _, points) = NoisyPowerLaw(10, 0.01, 1);
        var fitter = new LawFitter(law);
        var fit = fitter.Fit(points, PowerGrid);
        Assert.Equal("starts", Assert.Throws<ArgumentException>(() => fitter.Fit(points, StartGrid.Product([0], [1]))).ParamName);
        Assert.Equal("points", Assert.Throws<ArgumentException>(() => fitter.Fit(new LawPoints([], []), PowerGrid)).ParamName);
        Assert.Equal("points", Assert.Throws<ArgumentException>(() => fitter.Objective(LawPoints.FromColumns([1.0], [1.0], [2.0]))).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => fitter.Objective(points, [1.0])).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentOutOfRangeException>(() => fitter.Objective(points, Enumerable.Repeat(-1.0, 10).ToArray())).ParamName);
        Assert.Equal("N", Assert.Throws<ArgumentOutOfRangeException>(() => fitter.Objective(LawPoints.FromColumns([1.0], [-5.0]))).ParamName);
        Assert.Equal("resamples", Assert.Throws<ArgumentOutOfRangeException>(() => fitter.Bootstrap(points, fit, 1, 0)).ParamName);
        Assert.Equal("confidence", Assert.Throws<ArgumentOutOfRangeException>(() => fitter.Bootstrap(points, fit, 10, 0, 1.5)).ParamName);
        Assert.Equal("fit", Assert.Throws<ArgumentException>(() => new LawFitter(new PowerLaw("D")).Bootstrap(points, fit, 10, 0)).ParamName);
        Assert.Equal("testFraction", Assert.Throws<ArgumentOutOfRangeException>(() => fitter.HeldOut(points, 1.0, 0, PowerGrid)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LawFitter(law, new LawFitOptions(MaxDegreeOfParallelism: 0)));
        // A start outside the domain of every point gives no finite objective.
        var shifted = new ShiftedPowerLaw();
        var lowLosses = LawPoints.FromColumns([2.0, 2.5], [1.0, 1.1]);
        Assert.Throws<ArgumentException>(() => new LawFitter(shifted).Fit(lowLosses, StartGrid.FromNatural(shifted, 1, 1, 5, 1)));
    }

    [Fact]
    public void Points_and_grids_check_their_inputs()
    {
        Assert.Equal("losses", Assert.Throws<ArgumentException>(() => new LawPoints([[1.0]], [1.0, 2.0])).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => new LawPoints([[1.0], [1.0, 2.0]], [1.0, 2.0])).ParamName);
        Assert.Equal("losses", Assert.Throws<ArgumentOutOfRangeException>(() => new LawPoints([[1.0]], [0.0])).ParamName);
        Assert.Equal("columns", Assert.Throws<ArgumentException>(() => LawPoints.FromColumns([1.0, 2.0], [1.0])).ParamName);
        Assert.Equal("indices", Assert.Throws<ArgumentOutOfRangeException>(() => LawPoints.FromColumns([1.0], [1.0]).Subset([3])).ParamName);
        Assert.Equal("axes", Assert.Throws<ArgumentException>(() => StartGrid.Product([1.0], [])).ParamName);
        Assert.Equal("starts", Assert.Throws<ArgumentException>(() => StartGrid.Of([1.0], [1.0, 2.0])).ParamName);
        Assert.Equal("delta", Assert.Throws<ArgumentOutOfRangeException>(() => ResidualLoss.Huber(0)).ParamName);
        Assert.Equal("natural", Assert.Throws<ArgumentOutOfRangeException>(() => new PowerLaw().ToFitSpace([-1.0, 1, 1])).ParamName);
        Assert.Equal("natural", Assert.Throws<ArgumentException>(() => new PowerLaw().ToFitSpace([1.0, 1])).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new PowerLaw().IndexOf("Z")).ParamName);
        var grid = StartGrid.Product([1.0, 2.0], [3.0, 4.0, 5.0]);
        Assert.Equal(6, grid.Count);
        Assert.Equal([1.0, 4.0], grid[1].ToArray());
        Assert.Equal([2.0, 3.0], grid[3].ToArray());
    }

    [Fact]
    public void Huber_loss_is_quadratic_inside_delta_and_linear_outside()
    {
        var h = ResidualLoss.Huber(0.1);
        Assert.Equal(0.5 * 0.05 * 0.05, h.Value(-0.05), 1e-18);
        Assert.Equal(0.1 * (0.3 - 0.05), h.Value(0.3), 1e-15);
        Assert.Equal(-0.1, h.Derivative(-0.3));
        Assert.Equal(0.05, h.Derivative(0.05));
        Assert.Equal(0.5 * 9, ResidualLoss.LeastSquares.Value(3));
    }
}
