using LossLab.Scaling;

namespace LossLab.Tests.Scaling;

public class LbfgsMinimizerTests
{
    sealed class Rosenbrock(int n) : IDifferentiableObjective
    {
        public int Dimension => n;
        public double Evaluate(ReadOnlySpan<double> x, Span<double> g)
        {
            double f = 0;
            g.Clear();
            for (int i = 0; i < n - 1; i++)
            {
                double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
                f += 100 * a * a + b * b;
                g[i] += -400 * x[i] * a - 2 * b;
                g[i + 1] += 200 * a;
            }
            return f;
        }
    }

    sealed class Quadratic(double[] diag, double[] center) : IDifferentiableObjective
    {
        public int Dimension => diag.Length;
        public double Evaluate(ReadOnlySpan<double> x, Span<double> g)
        {
            double f = 0;
            for (int i = 0; i < diag.Length; i++) { double d = x[i] - center[i]; f += 0.5 * diag[i] * d * d; g[i] = diag[i] * d; }
            return f;
        }
    }

    /// <summary>log(x) + 1/x on x &gt; 0 (NaN outside): minimum at x = 1.</summary>
    sealed class Domain : IDifferentiableObjective
    {
        public int Dimension => 1;
        public double Evaluate(ReadOnlySpan<double> x, Span<double> g)
        {
            if (!(x[0] > 0)) { g[0] = double.NaN; return double.NaN; }
            g[0] = 1 / x[0] - 1 / (x[0] * x[0]);
            return Math.Log(x[0]) + 1 / x[0];
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    public void Finds_the_Rosenbrock_minimum(int n)
    {
        var minimizer = new LbfgsMinimizer(n);
        var x = Enumerable.Repeat(-1.2, n).ToArray();
        var outcome = minimizer.Minimize(new Rosenbrock(n), x, x);
        Assert.True(outcome.Exit.Converged(), outcome.ToString());
        foreach (var v in x) Assert.Equal(1.0, v, 1e-6);
        Assert.True(outcome.Value < 1e-14, outcome.ToString());
    }

    [Fact]
    public void Finds_the_centre_of_an_ill_conditioned_quadratic()
    {
        double[] diag = [1, 10, 100, 1000, 1e4], center = [1, -2, 3, -4, 5];
        var x = new double[5];
        var outcome = new LbfgsMinimizer(5).Minimize(new Quadratic(diag, center), x, x);
        for (int i = 0; i < 5; i++) Assert.Equal(center[i], x[i], 1e-8);
        Assert.True(outcome.GradientNorm < 1e-6, outcome.ToString());
    }

    [Fact]
    public void Steps_back_into_the_domain_when_a_trial_is_not_finite()
    {
        var x = new double[] { 0.05 };   // the first steepest-descent steps overshoot into x < 0
        var outcome = new LbfgsMinimizer(1).Minimize(new Domain(), x, x);
        Assert.Equal(1.0, x[0], 1e-7);
        Assert.True(outcome.Exit.Converged(), outcome.ToString());
    }

    [Fact]
    public void A_start_outside_the_domain_is_reported_not_minimised()
    {
        var x = new double[] { -1 };
        var outcome = new LbfgsMinimizer(1).Minimize(new Domain(), x, x);
        Assert.Equal(ExitReason.NonFiniteStart, outcome.Exit);
        Assert.False(outcome.Exit.Converged());
    }

    [Fact]
    public void Stops_at_the_iteration_limit()
    {
        var x = new[] { -1.2, 1.0 };
        var outcome = new LbfgsMinimizer(2, new LbfgsOptions(MaxIterations: 3)).Minimize(new Rosenbrock(2), x, x);
        Assert.Equal(ExitReason.MaxIterations, outcome.Exit);
        Assert.Equal(3, outcome.Iterations);
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LbfgsMinimizer(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LbfgsMinimizer(2, new LbfgsOptions(Memory: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LbfgsMinimizer(2, new LbfgsOptions(GradientTolerance: -1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LbfgsMinimizer(2, new LbfgsOptions(FunctionTolerance: double.NaN)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LbfgsMinimizer(2, new LbfgsOptions(MaxIterations: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LbfgsMinimizer(2, new LbfgsOptions(MaxLineSearchEvaluations: 1)));
        var m = new LbfgsMinimizer(2);
        Assert.Throws<ArgumentException>(() => m.Minimize(new Rosenbrock(3), new double[3], new double[3]));
        Assert.Throws<ArgumentException>(() => m.Minimize(new Rosenbrock(2), new double[3], new double[2]));
        Assert.Throws<ArgumentException>(() => m.Minimize(new Rosenbrock(2), new double[2], new double[1]));
    }
}
