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

    /// <summary>Records every point the minimiser evaluates.</summary>
    sealed class Traced(IDifferentiableObjective inner) : IDifferentiableObjective
    {
        public readonly List<double[]> Points = [];
        public int Dimension => inner.Dimension;
        public double Evaluate(ReadOnlySpan<double> x, Span<double> g) { Points.Add(x.ToArray()); return inner.Evaluate(x, g); }
    }

    /// <summary>f(x) = Σᵢ [−cᵢ cos xᵢ + 0.05 xᵢ² + 0.3 sin(xᵢ x₍ᵢ₊₁₎ mod n)]: bounded below, non-convex, with concave
    /// stretches along which a short line search can accept a step with sᵀy ≤ 0.</summary>
    sealed class Wavy(double[] c) : IDifferentiableObjective
    {
        public int Dimension => c.Length;
        public double Evaluate(ReadOnlySpan<double> x, Span<double> g)
        {
            double f = 0;
            for (int i = 0; i < c.Length; i++)
            {
                f += -c[i] * Math.Cos(x[i]) + 0.05 * x[i] * x[i] + 0.3 * Math.Sin(x[i] * x[(i + 1) % c.Length]);
                g[i] = c[i] * Math.Sin(x[i]) + 0.1 * x[i];
            }
            for (int i = 0; i < c.Length; i++)
            {
                int j = (i + 1) % c.Length;
                double cs = 0.3 * Math.Cos(x[i] * x[j]);
                g[i] += cs * x[j];
                g[j] += cs * x[i];
            }
            return f;
        }
    }

    static double[] Gradient(IDifferentiableObjective f, double[] x) { var g = new double[x.Length]; f.Evaluate(x, g); return g; }
    static double DotD(double[] a, double[] b) { double s = 0; for (int i = 0; i < a.Length; i++) s += a[i] * b[i]; return s; }

    /// <summary>d = −H·g by the textbook two-loop recursion (Nocedal and Wright, Alg. 7.4) over pairs, oldest first.</summary>
    static double[] TwoLoop(double[] g, List<(double[] S, double[] Y)> pairs)
    {
        int k = pairs.Count;
        var q = (double[])g.Clone();
        var a = new double[k];
        for (int i = k - 1; i >= 0; i--)
        {
            double rho = 1 / DotD(pairs[i].S, pairs[i].Y);
            a[i] = rho * DotD(pairs[i].S, q);
            for (int t = 0; t < q.Length; t++) q[t] -= a[i] * pairs[i].Y[t];
        }
        if (k > 0)
        {
            double gamma = DotD(pairs[k - 1].S, pairs[k - 1].Y) / DotD(pairs[k - 1].Y, pairs[k - 1].Y);
            for (int t = 0; t < q.Length; t++) q[t] *= gamma;
        }
        for (int i = 0; i < k; i++)
        {
            double rho = 1 / DotD(pairs[i].S, pairs[i].Y);
            double b = rho * DotD(pairs[i].Y, q);
            for (int t = 0; t < q.Length; t++) q[t] += (a[i] - b) * pairs[i].S[t];
        }
        return q.Select(v => -v).ToArray();
    }

    /// <summary>Replays a run iteration by iteration: the iterates x_k come from runs capped at k iterations, the first
    /// trial point of iteration k + 1 from the traced run, and the expected direction from <see cref="TwoLoop"/> over the
    /// accepted pairs (sᵀy &gt; 0; a rejected pair leaves the history as it was). Returns the number of rejected pairs
    /// met with a full history and followed by a checked direction.</summary>
    static int ReplayAgainstTwoLoop(IDifferentiableObjective f, double[] start, LbfgsOptions options, int iterations)
    {
        var traced = new Traced(f);
        var full = new double[start.Length];
        new LbfgsMinimizer(start.Length, options with { MaxIterations = iterations }).Minimize(traced, start, full);
        var xs = new List<double[]> { start };
        var evals = new List<int> { 1 };
        for (int k = 1; k <= iterations; k++)
        {
            var x = new double[start.Length];
            var outcome = new LbfgsMinimizer(start.Length, options with { MaxIterations = k }).Minimize(f, start, x);
            if (outcome.Iterations < k || outcome.Exit != ExitReason.MaxIterations) break;
            xs.Add(x); evals.Add(outcome.Evaluations);
        }
        var history = new List<(double[] S, double[] Y)>();
        int rejectedWhenFull = 0;
        bool pendingRejection = false;
        for (int k = 0; k + 1 < xs.Count; k++)
        {
            var g = Gradient(f, xs[k]);
            var d = TwoLoop(g, history);
            if (!(DotD(g, d) < 0)) { history.Clear(); d = g.Select(v => -v).ToArray(); }
            double step = history.Count == 0 ? Math.Min(1.0, 1.0 / Math.Sqrt(DotD(g, g))) : 1.0;
            var trial = traced.Points[evals[k]];
            for (int t = 0; t < start.Length; t++)
                Assert.True(Math.Abs(trial[t] - (xs[k][t] + step * d[t])) <= 1e-9 * (1 + Math.Abs(trial[t])),
                    $"iteration {k + 1}: first trial point {trial[t]} vs x + step·d = {xs[k][t] + step * d[t]} (coordinate {t})");
            if (pendingRejection) { rejectedWhenFull++; pendingRejection = false; }
            var s = xs[k + 1].Zip(xs[k], (a, b) => a - b).ToArray();
            var y = Gradient(f, xs[k + 1]).Zip(g, (a, b) => a - b).ToArray();
            double sy = DotD(s, y), yy = DotD(y, y);
            if (sy > 1e-16 * yy && sy > 0)
            {
                history.Add((s, y));
                if (history.Count > options.Memory) history.RemoveAt(0);
            }
            else if (history.Count == options.Memory) pendingRejection = true;
        }
        return rejectedWhenFull;
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(1, 3)]
    [InlineData(2, 3)]
    public void A_pair_without_positive_curvature_leaves_the_history_untouched(int memory, int lineSearchEvaluations)
    {
        // Short line searches fall back to steps that are not strong-Wolfe; on this non-convex objective some of them
        // give sᵀy ≤ 0 while the history is full. Each direction must equal the two-loop over the accepted pairs only.
        var options = new LbfgsOptions(Memory: memory, GradientTolerance: 0, FunctionTolerance: 0, MaxLineSearchEvaluations: lineSearchEvaluations);
        int rejected = ReplayAgainstTwoLoop(new Wavy([1.2, 1.2]), [2.7, -2.44], options, 12)
                     + ReplayAgainstTwoLoop(new Wavy([1.18, 1.43, 1.42]), [-1.05, -2.92, -2.92], options, 12);
        Assert.True(rejected >= 1, "the objective must produce a rejected pair with a full history for the test to bite");
    }
}
