using LossLab.Scaling;

namespace LossLab.Tests.Scaling;

public class IsoFlopAnalysisTests
{
    [Fact]
    public void Minima_of_runs_from_a_Chinchilla_surface_follow_the_closed_form_frontier()
    {
        var p = ChinchillaParameters.Hoffmann2022;
        var budgets = new[] { 1e18, 1e19, 1e20, 1e21 };
        var runs = new List<TrainingRun>();
        foreach (var c in budgets)
        {
            var (nOpt, _) = p.ComputeOptimal(c);
            for (int k = -8; k <= 8; k++)
            {
                double n = nOpt * Math.Pow(10, 0.1 * k), d = c / (6 * n);
                runs.Add(new TrainingRun(n, d, p.Loss(n, d)));
            }
        }
        var minima = IsoFlopAnalysis.Minima(runs);
        Assert.Equal(4, minima.Count);
        foreach (var (m, c) in minima.Zip(budgets))
        {
            Assert.True(m.FromParabola);
            Assert.Equal(c, m.Flops, c * 1e-9);
            var (nOpt, _) = p.ComputeOptimal(c);
            // The loss is not exactly quadratic in log N: the parabola's vertex is close, not exact.
            Assert.True(Math.Abs(Math.Log(m.Parameters / nOpt)) < 0.05, $"C = {c:E0}: {m.Parameters:E3} vs {nOpt:E3}");
            Assert.Equal(17, m.Runs);
        }
        var frontier = IsoFlopAnalysis.FitFrontier(minima);
        Assert.Equal(p.SizeExponent, frontier.Exponent, 0.01);
    }

    [Fact]
    public void Quadratic_fit_recovers_an_exact_parabola()
    {
        double[] x = [1, 2, 3, 4, 5];
        var y = x.Select(v => 3 - 2 * v + 0.5 * v * v).ToArray();
        var (c0, c1, c2) = IsoFlopAnalysis.Quadratic(x, y);
        Assert.Equal(3, c0, 1e-10); Assert.Equal(-2, c1, 1e-10); Assert.Equal(0.5, c2, 1e-10);
    }

    [Fact]
    public void A_group_with_a_boundary_minimum_falls_back_to_the_best_run()
    {
        var group = new[] { new TrainingRun(1e6, 1e8, 3.0), new TrainingRun(2e6, 5e7, 3.1), new TrainingRun(4e6, 2.5e7, 3.3) };
        var m = IsoFlopAnalysis.Minimum(group);
        Assert.False(m.FromParabola);
        Assert.Equal(1e6, m.Parameters);
        Assert.Equal(3.0, m.Loss);
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Throws<ArgumentException>(() => IsoFlopAnalysis.Minima([]));
        Assert.Throws<ArgumentException>(() => IsoFlopAnalysis.FitFrontier([new IsoFlopMinimum(1e18, 1e6, 1e11, 3, true, 3)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ComputeAccounting.TrainingFlops(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ComputeAccounting.TokensForBudget(1, -1));
    }
}
