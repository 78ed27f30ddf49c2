namespace LossLab.Scaling;

/// <summary>
/// Limited-memory BFGS (Liu and Nocedal 1989; Nocedal and Wright, Numerical Optimization, 2nd ed., Algorithms 7.4–7.5)
/// with a strong-Wolfe line search (Algorithms 3.5–3.6, cubic interpolation, c₁ = 1e-4, c₂ = 0.9). The search direction
/// is d = −H∇f from the two-loop recursion over the last m pairs s = x_{k+1} − x_k, y = ∇f_{k+1} − ∇f_k, with
/// H₀ = (sᵀy / yᵀy)·I, from the newest pair. A pair with sᵀy ≤ 0 (or sᵀy ≤ 1e-16·yᵀy) is skipped: the history stays as
/// it was. A non-finite trial value shortens the step, so objectives may return NaN outside their domain.
/// </summary>
/// <remarks>
/// An instance owns all its work arrays and allocates nothing while minimising; it is not thread-safe, so a parallel
/// multi-start fit uses one instance per thread. Unconstrained (SciPy's L-BFGS-B without bounds follows the same path).
/// </remarks>
public sealed class LbfgsMinimizer
{
    const double C1 = 1e-4, C2 = 0.9;
    readonly int n, m;
    readonly LbfgsOptions options;
    readonly double[] x, g, d, xTrial, gTrial, alpha, rho;
    readonly double[][] s, y;

    /// <summary>Creates a minimiser for objectives of <paramref name="dimension"/> variables.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is below 1, or an option is out of range.</exception>
    public LbfgsMinimizer(int dimension, LbfgsOptions? options = null)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "dimension must be at least 1.");
        n = dimension;
        this.options = (options ?? new LbfgsOptions()).Validated();
        m = this.options.Memory;
        x = new double[n]; g = new double[n]; d = new double[n]; xTrial = new double[n]; gTrial = new double[n];
        alpha = new double[m]; rho = new double[m];
        s = new double[m][]; y = new double[m][];
        for (int i = 0; i < m; i++) { s[i] = new double[n]; y[i] = new double[n]; }
    }

    /// <summary>The number of variables.</summary>
    public int Dimension => n;

    /// <summary>The settings.</summary>
    public LbfgsOptions Options => options;

    /// <summary>Minimises <paramref name="objective"/> from <paramref name="start"/>, writing the minimising point into
    /// <paramref name="result"/> (which may be the same memory as <paramref name="start"/>).</summary>
    /// <exception cref="ArgumentException">The objective's dimension or a span's length differs from <see cref="Dimension"/>.</exception>
    public LbfgsOutcome Minimize(IDifferentiableObjective objective, ReadOnlySpan<double> start, Span<double> result)
    {
        ArgumentNullException.ThrowIfNull(objective);
        if (objective.Dimension != n)
            throw new ArgumentException($"objective has {objective.Dimension} variables; this minimiser was made for {n}.", nameof(objective));
        if (start.Length != n) throw new ArgumentException($"start must have length {n}; got {start.Length}.", nameof(start));
        if (result.Length != n) throw new ArgumentException($"result must have length {n}; got {result.Length}.", nameof(result));

        start.CopyTo(x);
        int evaluations = 1;
        double f = objective.Evaluate(x, g);
        if (!double.IsFinite(f) || !AllFinite(g))
        {
            x.CopyTo(result);
            return new LbfgsOutcome(f, double.NaN, 0, evaluations, ExitReason.NonFiniteStart);
        }
        double gNorm = MaxAbs(g);
        if (gNorm <= options.GradientTolerance)
        {
            x.CopyTo(result);
            return new LbfgsOutcome(f, gNorm, 0, evaluations, ExitReason.GradientTolerance);
        }

        int stored = 0, newest = -1, iteration = 0;
        var exit = ExitReason.MaxIterations;
        while (iteration < options.MaxIterations)
        {
            iteration++;
            Direction(stored, newest);
            double slope = Dot(g, d);
            if (!(slope < 0))
            {
                // Not a descent direction (curvature information gone stale): restart from steepest descent.
                stored = 0; newest = -1;
                for (int i = 0; i < n; i++) d[i] = -g[i];
                slope = Dot(g, d);
            }
            double step = stored == 0 ? Math.Min(1.0, 1.0 / Norm2(g)) : 1.0;

            double fOld = f;
            var (ok, fNew, used) = LineSearch(objective, f, slope, ref step);
            evaluations += used;
            if (!ok) { exit = ExitReason.LineSearchFailed; break; }

            // Accept: xTrial and gTrial hold the new point; form the correction pair s, y. A pair without positive
            // curvature (sᵀy ≤ 0, possible when the line search falls back to a step that is not strong-Wolfe) is
            // skipped and leaves the history untouched, as in Nocedal and Wright §7.2; only an accepted pair takes the
            // oldest slot, together with its own ρ = 1/sᵀy.
            double sy = 0, yy = 0;
            for (int i = 0; i < n; i++)
            {
                double si = xTrial[i] - x[i], yi = gTrial[i] - g[i];
                sy += si * yi; yy += yi * yi;
            }
            if (sy > 1e-16 * yy && sy > 0)
            {
                int slot = (newest + 1) % m;
                var sSlot = s[slot]; var ySlot = y[slot];
                for (int i = 0; i < n; i++) { sSlot[i] = xTrial[i] - x[i]; ySlot[i] = gTrial[i] - g[i]; }
                rho[slot] = 1.0 / sy;
                newest = slot;
                if (stored < m) stored++;
            }
            xTrial.CopyTo(x, 0);
            gTrial.CopyTo(g, 0);
            f = fNew;
            gNorm = MaxAbs(g);
            if (gNorm <= options.GradientTolerance) { exit = ExitReason.GradientTolerance; break; }
            if (fOld - f <= options.FunctionTolerance * Math.Max(Math.Abs(fOld), Math.Abs(f))) { exit = ExitReason.FunctionTolerance; break; }
        }
        x.CopyTo(result);
        return new LbfgsOutcome(f, MaxAbs(g), iteration, evaluations, exit);
    }

    /// <summary>d = −H·g by the two-loop recursion over the stored pairs, newest first.</summary>
    void Direction(int stored, int newest)
    {
        for (int i = 0; i < n; i++) d[i] = -g[i];
        if (stored == 0) return;
        int k = newest;
        for (int j = 0; j < stored; j++)
        {
            double a = rho[k] * Dot(s[k], d);
            alpha[k] = a;
            var yk = y[k];
            for (int i = 0; i < n; i++) d[i] -= a * yk[i];
            k = (k - 1 + m) % m;
        }
        double gamma = 1.0 / (rho[newest] * Dot(y[newest], y[newest]));
        for (int i = 0; i < n; i++) d[i] *= gamma;
        k = (newest - stored + 1 + m) % m;
        for (int j = 0; j < stored; j++)
        {
            double b = rho[k] * Dot(y[k], d);
            double a = alpha[k] - b;
            var sk = s[k];
            for (int i = 0; i < n; i++) d[i] += a * sk[i];
            k = (k + 1) % m;
        }
    }

    /// <summary>Strong-Wolfe line search along d from x (value f0, slope φ'(0) = ∇f·d &lt; 0). On success xTrial and
    /// gTrial hold the accepted point.</summary>
    (bool Ok, double Value, int Evaluations) LineSearch(IDifferentiableObjective objective, double f0, double slope0, ref double step)
    {
        int evals = 0, max = options.MaxLineSearchEvaluations;
        double aPrev = 0, fPrev = f0, dPrev = slope0;
        double a = step;
        // Largest step known to give a finite value but not sufficient decrease, or +∞ when none yet.
        for (int i = 0; i < max; i++)
        {
            double fa = Trial(objective, a, out double da);
            evals++;
            if (!double.IsFinite(fa))
            {
                a = aPrev + 0.25 * (a - aPrev);   // outside the domain: pull back
                if (a - aPrev <= 1e-20 * Math.Max(1, aPrev)) break;
                continue;
            }
            if (fa > f0 + C1 * a * slope0 || (i > 0 && fa >= fPrev))
                return Zoom(objective, f0, slope0, aPrev, fPrev, dPrev, a, fa, da, evals, ref step);
            if (Math.Abs(da) <= -C2 * slope0) { step = a; return (true, fa, evals); }
            if (da >= 0)
                return Zoom(objective, f0, slope0, a, fa, da, aPrev, fPrev, dPrev, evals, ref step);
            double next = CubicMinimizer(aPrev, fPrev, dPrev, a, fa, da);
            // Extrapolate: at least double, at most ×10, when the cubic gives nothing sensible.
            if (!(next > 2 * a) || !double.IsFinite(next)) next = 2 * a;
            next = Math.Min(next, 10 * a);
            aPrev = a; fPrev = fa; dPrev = da; a = next;
        }
        return Fallback(objective, f0, aPrev, fPrev, evals, ref step);
    }

    (bool, double, int) Zoom(IDifferentiableObjective objective, double f0, double slope0,
        double aLo, double fLo, double dLo, double aHi, double fHi, double dHi, int evals, ref double step)
    {
        int max = options.MaxLineSearchEvaluations;
        while (evals < max)
        {
            double lo = Math.Min(aLo, aHi), hi = Math.Max(aLo, aHi), width = hi - lo;
            if (width <= 1e-16 * hi) break;
            double a = double.IsFinite(fHi) ? CubicMinimizer(aLo, fLo, dLo, aHi, fHi, dHi) : double.NaN;
            if (!double.IsFinite(a) || a < lo + 0.1 * width || a > hi - 0.1 * width) a = 0.5 * (aLo + aHi);
            double fa = Trial(objective, a, out double da);
            evals++;
            if (!double.IsFinite(fa) || fa > f0 + C1 * a * slope0 || fa >= fLo)
            {
                aHi = a; fHi = fa; dHi = da;
            }
            else
            {
                if (Math.Abs(da) <= -C2 * slope0) { step = a; return (true, fa, evals); }
                if (da * (aHi - aLo) >= 0) { aHi = aLo; fHi = fLo; dHi = dLo; }
                aLo = a; fLo = fa; dLo = da;
            }
        }
        return Fallback(objective, f0, aLo, fLo, evals, ref step);
    }

    /// <summary>No step met the strong Wolfe conditions: accept the best step with sufficient decrease if there is one.</summary>
    (bool, double, int) Fallback(IDifferentiableObjective objective, double f0, double aBest, double fBest, int evals, ref double step)
    {
        if (aBest > 0 && fBest < f0)
        {
            double fa = Trial(objective, aBest, out _);
            step = aBest;
            return (true, fa, evals + 1);
        }
        return (false, f0, evals);
    }

    double Trial(IDifferentiableObjective objective, double a, out double slope)
    {
        for (int i = 0; i < n; i++) xTrial[i] = x[i] + a * d[i];
        double f = objective.Evaluate(xTrial, gTrial);
        slope = Dot(gTrial, d);
        return double.IsFinite(slope) ? f : double.NaN;
    }

    /// <summary>The minimiser of the cubic interpolating (a, fa, da) and (b, fb, db); NaN when it has none.</summary>
    static double CubicMinimizer(double a, double fa, double da, double b, double fb, double db)
    {
        double d1 = da + db - 3 * (fa - fb) / (a - b);
        double disc = d1 * d1 - da * db;
        if (!(disc >= 0)) return double.NaN;
        double d2 = Math.Sign(b - a) * Math.Sqrt(disc);
        return b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2);
    }

    static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    static double Norm2(ReadOnlySpan<double> a) => Math.Sqrt(Dot(a, a));

    static double MaxAbs(ReadOnlySpan<double> a)
    {
        double max = 0;
        foreach (var v in a) max = Math.Max(max, Math.Abs(v));
        return max;
    }

    static bool AllFinite(ReadOnlySpan<double> a)
    {
        foreach (var v in a) if (!double.IsFinite(v)) return false;
        return true;
    }
}
