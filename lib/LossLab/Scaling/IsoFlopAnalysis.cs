namespace LossLab.Scaling;

/// <summary>One training run for IsoFLOP analysis: N non-embedding parameters, D tokens, final loss.</summary>
public sealed record TrainingRun(double Parameters, double Tokens, double Loss)
{
    /// <summary>C = 6ND.</summary>
    public double Flops => ComputeAccounting.TrainingFlops(Parameters, Tokens);
}

/// <summary>The loss-minimising model size of one compute budget.</summary>
/// <param name="Flops">The budget C.</param>
/// <param name="Parameters">N_opt.</param>
/// <param name="Tokens">D_opt = C/(6·N_opt).</param>
/// <param name="Loss">The loss at N_opt (the parabola's minimum, or the best run's loss).</param>
/// <param name="FromParabola">True when N_opt is the vertex of the parabola fitted to loss against log N; false when it
/// is the best run (fewer than three sizes, or the parabola opens downwards or peaks outside the sizes tried).</param>
/// <param name="Runs">The runs of this budget.</param>
public sealed record IsoFlopMinimum(double Flops, double Parameters, double Tokens, double Loss, bool FromParabola, int Runs);

/// <summary>A power law y = k·C^a fitted by least squares in log–log space.</summary>
/// <param name="Exponent">a.</param>
/// <param name="Coefficient">k.</param>
public sealed record PowerFit(double Exponent, double Coefficient)
{
    /// <summary>k·C^a.</summary>
    public double At(double flops) => Coefficient * Math.Pow(flops, Exponent);
}

/// <summary>
/// IsoFLOP analysis (Hoffmann et al. 2022, arXiv:2203.15556, Approach 2): group runs of equal compute C = 6ND, fit a
/// parabola to the loss against log N within each group, take its vertex as N_opt(C), and fit N_opt ∝ C^a across budgets.
/// </summary>
public static class IsoFlopAnalysis
{
    /// <summary>The minimum of each compute budget. Runs whose budgets agree within a relative
    /// <paramref name="relativeTolerance"/> form one group (sorted by C, a run joins the group when its C is within the
    /// tolerance of the group's first).</summary>
    /// <exception cref="ArgumentException">No runs.</exception>
    public static IReadOnlyList<IsoFlopMinimum> Minima(IEnumerable<TrainingRun> runs, double relativeTolerance = 0.05)
    {
        ArgumentNullException.ThrowIfNull(runs);
        Guard.NonNegative(relativeTolerance, nameof(relativeTolerance));
        var sorted = runs.OrderBy(r => r.Flops).ToList();
        if (sorted.Count == 0) throw new ArgumentException("runs is empty.", nameof(runs));
        var result = new List<IsoFlopMinimum>();
        int start = 0;
        while (start < sorted.Count)
        {
            int end = start + 1;
            while (end < sorted.Count && sorted[end].Flops <= sorted[start].Flops * (1 + relativeTolerance)) end++;
            result.Add(Minimum(sorted.GetRange(start, end - start)));
            start = end;
        }
        return result;
    }

    /// <summary>The minimum of one group of runs of (about) equal compute.</summary>
    public static IsoFlopMinimum Minimum(IReadOnlyList<TrainingRun> group)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (group.Count == 0) throw new ArgumentException("group is empty.", nameof(group));
        double flops = Math.Exp(group.Average(r => Math.Log(r.Flops)));
        var best = group.MinBy(r => r.Loss)!;
        var sizes = group.Select(r => Math.Log(r.Parameters)).ToArray();
        if (sizes.Distinct().Count() >= 3)
        {
            var (c0, c1, c2) = Quadratic(sizes, group.Select(r => r.Loss).ToArray());
            if (c2 > 0)
            {
                double vertex = -c1 / (2 * c2);
                if (vertex >= sizes.Min() && vertex <= sizes.Max())
                {
                    double n = Math.Exp(vertex);
                    return new IsoFlopMinimum(flops, n, flops / (6 * n), c0 + c1 * vertex + c2 * vertex * vertex, true, group.Count);
                }
            }
        }
        return new IsoFlopMinimum(flops, best.Parameters, flops / (6 * best.Parameters), best.Loss, false, group.Count);
    }

    /// <summary>Fits N_opt = k·C^a to the minima by least squares on log N_opt against log C.</summary>
    /// <exception cref="ArgumentException">Fewer than two distinct budgets.</exception>
    public static PowerFit FitFrontier(IReadOnlyList<IsoFlopMinimum> minima)
    {
        ArgumentNullException.ThrowIfNull(minima);
        if (minima.Select(m => m.Flops).Distinct().Count() < 2) throw new ArgumentException("minima must span at least two budgets.", nameof(minima));
        var x = minima.Select(m => Math.Log(m.Flops)).ToArray();
        var y = minima.Select(m => Math.Log(m.Parameters)).ToArray();
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0;
        for (int i = 0; i < x.Length; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); }
        double a = sxy / sxx;
        return new PowerFit(a, Math.Exp(my - a * mx));
    }

    /// <summary>Least-squares y ≈ c0 + c1·x + c2·x² (normal equations, x centred for conditioning).</summary>
    internal static (double C0, double C1, double C2) Quadratic(double[] x, double[] y)
    {
        double mx = x.Average();
        double s0 = x.Length, s1 = 0, s2 = 0, s3 = 0, s4 = 0, t0 = 0, t1 = 0, t2 = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double u = x[i] - mx, u2 = u * u;
            s1 += u; s2 += u2; s3 += u2 * u; s4 += u2 * u2;
            t0 += y[i]; t1 += u * y[i]; t2 += u2 * y[i];
        }
        var m = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(new[,] { { s0, s1, s2 }, { s1, s2, s3 }, { s2, s3, s4 } });
        var c = m.Solve(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense([t0, t1, t2]));
        // Undo the centring: c0 + c1(x − m) + c2(x − m)².
        return (c[0] - c[1] * mx + c[2] * mx * mx, c[1] - 2 * c[2] * mx, c[2]);
    }
}
