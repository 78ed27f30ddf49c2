using MathNet.Numerics.LinearAlgebra;

namespace LossLab.Experiments.Imbalance;

/// <summary>A minimiser of the MSE unconstrained-features model: classifier W (C × d), features H (d × N, column i the
/// feature of sample i, grouped by class), the objective, and the raw class means.</summary>
public sealed record UnconstrainedFeaturesFit(Matrix<double> W, Matrix<double> H, IReadOnlyList<int> Counts, double Objective, int Sweeps, double LastChange)
{
    /// <summary>The raw (uncentred) mean feature of each class.</summary>
    public IReadOnlyList<Vector<double>> ClassMeans()
    {
        var means = new List<Vector<double>>();
        int start = 0;
        foreach (var n in Counts)
        {
            var sum = Vector<double>.Build.Dense(H.RowCount);
            for (int i = start; i < start + n; i++) sum += H.Column(i);
            means.Add(sum / n);
            start += n;
        }
        return means;
    }

    /// <summary>The largest |cos| between two different classes' raw means (NaN when a mean is zero).</summary>
    public double MaxAbsCosine()
    {
        var m = ClassMeans();
        double worst = 0;
        for (int a = 0; a < m.Count; a++)
            for (int b = a + 1; b < m.Count; b++)
            {
                double na = m[a].L2Norm(), nb = m[b].L2Norm();
                if (na == 0 || nb == 0) return double.NaN;
                worst = Math.Max(worst, Math.Abs(m[a].DotProduct(m[b]) / (na * nb)));
            }
        return worst;
    }
}

/// <summary>
/// The unconstrained-features model with MSE (Mixon et al.; Han, Papyan and Donoho; Dang et al. 2023, arXiv:2301.00437, its
/// one-layer case): the last-layer features are free parameters, one per sample, trained with the classifier against
/// one-hot targets with weight decay on both,
/// <c>f(W, H) = ‖W H − Y‖²_F / (2N) + λ_W ‖W‖²_F / 2 + λ_H ‖H‖²_F / 2</c>, bias-free.
/// Minimised by exact block coordinate descent: with W fixed f is a ridge regression in H, solved in closed form
/// (<c>H = (WᵀW + Nλ_H I)⁻¹ WᵀY</c>), and with H fixed one in W (<c>W = Y Hᵀ (H Hᵀ + Nλ_W I)⁻¹</c>); each sweep lowers f.
/// </summary>
public static class UnconstrainedFeatures
{
    /// <summary>The objective f(W, H) for class counts <paramref name="counts"/> (samples grouped by class, in order).</summary>
    public static double Objective(Matrix<double> w, Matrix<double> h, IReadOnlyList<int> counts, double lambdaW, double lambdaH)
    {
        var y = Targets(counts);
        int n = y.ColumnCount;
        var r = w * h - y;
        return r.FrobeniusNorm() * r.FrobeniusNorm() / (2.0 * n) + lambdaW / 2 * Math.Pow(w.FrobeniusNorm(), 2) + lambdaH / 2 * Math.Pow(h.FrobeniusNorm(), 2);
    }

    /// <summary>The gradients (∂f/∂W, ∂f/∂H).</summary>
    public static (Matrix<double> W, Matrix<double> H) Gradient(Matrix<double> w, Matrix<double> h, IReadOnlyList<int> counts, double lambdaW, double lambdaH)
    {
        var y = Targets(counts);
        int n = y.ColumnCount;
        var r = (w * h - y) / n;
        return (r * h.Transpose() + lambdaW * w, w.Transpose() * r + lambdaH * h);
    }

    /// <summary>One-hot targets, C × N, samples grouped by class.</summary>
    public static Matrix<double> Targets(IReadOnlyList<int> counts)
    {
        var y = Matrix<double>.Build.Dense(counts.Count, counts.Sum());
        int i = 0;
        for (int c = 0; c < counts.Count; c++)
            for (int k = 0; k < counts[c]; k++) y[c, i++] = 1;
        return y;
    }

    /// <summary>Minimises f from a seeded Gaussian start (entries of std <paramref name="initScale"/>) until a sweep changes
    /// f by less than <paramref name="tolerance"/> relative, or <paramref name="maxSweeps"/> sweeps.</summary>
    /// <exception cref="ArgumentException">Fewer than two classes, a class without samples, d &lt; 1, or λ ≤ 0.</exception>
    public static UnconstrainedFeaturesFit Fit(IReadOnlyList<int> counts, int dimensions, double lambdaW, double lambdaH, int seed,
        int maxSweeps = 20_000, double tolerance = 1e-12, double initScale = 0.1)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count < 2) throw new ArgumentException("at least two classes are needed.", nameof(counts));
        if (counts.Any(c => c < 1)) throw new ArgumentException("every class needs at least one sample.", nameof(counts));
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        if (!(lambdaW > 0) || !(lambdaH > 0)) throw new ArgumentException($"λ_W and λ_H must be positive (got {lambdaW}, {lambdaH}).");
        var rng = Training.Seeds.Random(seed, 0x0F0F);
        var normal = new MathNet.Numerics.Distributions.Normal(0, initScale, rng);
        var w = Matrix<double>.Build.Dense(counts.Count, dimensions, (_, _) => normal.Sample());
        var h = Matrix<double>.Build.Dense(dimensions, counts.Sum(), (_, _) => normal.Sample());
        var y = Targets(counts);
        int n = y.ColumnCount;
        var eyeD = Matrix<double>.Build.DenseIdentity(dimensions);
        double previous = Objective(w, h, counts, lambdaW, lambdaH), change = double.PositiveInfinity;
        int sweep = 0;
        while (sweep < maxSweeps)
        {
            sweep++;
            h = (w.TransposeThisAndMultiply(w) + n * lambdaH * eyeD).Solve(w.TransposeThisAndMultiply(y));
            w = (h.TransposeAndMultiply(h) + n * lambdaW * eyeD).Solve(h.TransposeAndMultiply(y)).Transpose();
            double current = Objective(w, h, counts, lambdaW, lambdaH);
            change = Math.Abs(previous - current) / Math.Max(Math.Abs(current), 1e-300);
            previous = current;
            if (change < tolerance) break;
        }
        return new UnconstrainedFeaturesFit(w, h, counts, previous, sweep, change);
    }
}
