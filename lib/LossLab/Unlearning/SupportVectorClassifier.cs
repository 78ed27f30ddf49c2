namespace LossLab.Unlearning;

/// <summary>
/// A binary C-support vector classifier with the RBF kernel K(x, x′) = exp(−γ‖x − x′‖²), trained by sequential minimal
/// optimisation with libsvm's second-order working-set selection (Fan, Chen, Lin 2005, JMLR 6, "Working Set Selection
/// Using Second Order Information for Training SVM"), solving the dual min ½αᵀQα − eᵀα s.t. 0 ≤ αᵢ ≤ C, yᵀα = 0,
/// Q_ij = yᵢyⱼK(xᵢ, xⱼ), to libsvm's stopping tolerance. Decision f(x) = Σᵢ αᵢyᵢK(xᵢ, x) − ρ; class 1 iff f(x) &gt; 0.
/// This is scikit-learn's <c>SVC(kernel="rbf", C, gamma)</c>, whose <c>gamma="auto"</c> is 1/d (no shrinking heuristic
/// here, which changes the path, not the optimum).
/// </summary>
public sealed class SupportVectorClassifier
{
    const double Tau = 1e-12;
    readonly double[][] supportVectors;
    readonly double[] coefficients;   // αᵢyᵢ of the support vectors

    SupportVectorClassifier(double[][] supportVectors, double[] coefficients, double rho, double gamma, double c, int iterations, bool converged, double[] alpha)
    {
        Alpha = alpha;
        this.supportVectors = supportVectors;
        this.coefficients = coefficients;
        Rho = rho; Gamma = gamma; C = c; Iterations = iterations; Converged = converged;
    }

    /// <summary>ρ, the negated intercept.</summary>
    public double Rho { get; }
    /// <summary>γ of the kernel.</summary>
    public double Gamma { get; }
    /// <summary>C.</summary>
    public double C { get; }
    /// <summary>SMO iterations taken.</summary>
    public int Iterations { get; }
    /// <summary>Whether the stopping criterion (maximal violating pair below the tolerance) was met.</summary>
    public bool Converged { get; }
    /// <summary>The dual solution α over the training rows, in their order.</summary>
    internal double[] Alpha { get; }

    /// <summary>The number of support vectors (αᵢ &gt; 0).</summary>
    public int SupportVectorCount => supportVectors.Length;

    /// <summary>Trains on rows <paramref name="x"/> (n × d) with labels <paramref name="y"/> in {0, 1}.</summary>
    /// <param name="x">Features, n rows of equal length d ≥ 1.</param>
    /// <param name="y">Labels 0 or 1; both must occur.</param>
    /// <param name="c">C &gt; 0 (SalUn's MIA: 3).</param>
    /// <param name="gamma">γ &gt; 0; null means scikit-learn's "auto", 1/d.</param>
    /// <param name="tolerance">Stopping tolerance on the maximal violating pair (libsvm's eps, 1e-3).</param>
    /// <param name="maxIterations">Iteration cap; the result then has <see cref="Converged"/> false, as libsvm warns and returns.</param>
    public static SupportVectorClassifier Fit(IReadOnlyList<double[]> x, IReadOnlyList<int> y, double c = 1.0, double? gamma = null,
        double tolerance = 1e-3, int maxIterations = 10_000_000)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        int n = x.Count;
        if (n == 0) throw new ArgumentException("x must hold at least one row.", nameof(x));
        if (y.Count != n) throw new ArgumentException($"y must have one label per row of x: x has {n} rows, y has {y.Count} labels.", nameof(y));
        int d = x[0].Length;
        if (d == 0 || x.Any(r => r is null || r.Length != d)) throw new ArgumentException($"x must hold rows of equal length ≥ 1 (first row has {d}).", nameof(x));
        if (x.Any(r => r.Any(v => !double.IsFinite(v)))) throw new ArgumentException("x must be finite.", nameof(x));
        if (y.Any(v => v is not (0 or 1))) throw new ArgumentOutOfRangeException(nameof(y), "y must hold labels 0 or 1.");
        if (!y.Contains(0) || !y.Contains(1)) throw new ArgumentException("y must contain both classes 0 and 1.", nameof(y));
        Guard.Positive(c, nameof(c));
        double g = gamma is null ? 1.0 / d : Guard.Positive(gamma.Value, nameof(gamma));
        Guard.Positive(tolerance, nameof(tolerance));
        if (maxIterations < 1) throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, "maxIterations must be ≥ 1.");

        var rows = x.Select(r => (double[])r.Clone()).ToArray();
        var s = y.Select(v => v == 1 ? 1.0 : -1.0).ToArray();
        var kernel = new KernelColumns(rows, g);
        var alpha = new double[n];
        var grad = Enumerable.Repeat(-1.0, n).ToArray();   // G = Qα − e at α = 0
        int iterations = 0;
        bool converged = false;
        while (iterations < maxIterations)
        {
            // i: the maximal violator in I_up by −y·G
            double gMax = double.NegativeInfinity; int i = -1;
            for (int t = 0; t < n; t++)
                if (s[t] > 0 ? alpha[t] < c : alpha[t] > 0)
                {
                    double v = -s[t] * grad[t];
                    if (v >= gMax) { gMax = v; i = t; }
                }
            double gMax2 = double.NegativeInfinity; int j = -1; double objMin = double.PositiveInfinity;
            double[]? ki = i >= 0 ? kernel.Column(i) : null;
            for (int t = 0; t < n; t++)
                if (s[t] > 0 ? alpha[t] > 0 : alpha[t] < c)
                {
                    double v = s[t] * grad[t];
                    if (v >= gMax2) gMax2 = v;
                    if (ki is null) continue;
                    double b = gMax + v;
                    if (b > 0)
                    {
                        double a = 2.0 - 2.0 * ki[t];   // K_ii + K_tt − 2K_it, K_tt = 1 for RBF
                        if (a <= 0) a = Tau;
                        double obj = -(b * b) / a;
                        if (obj <= objMin) { objMin = obj; j = t; }
                    }
                }
            if (i < 0 || j < 0 || gMax + gMax2 < tolerance) { converged = true; break; }
            iterations++;

            var kj = kernel.Column(j);
            double kij = ki![j], oldAi = alpha[i], oldAj = alpha[j];
            if (s[i] != s[j])
            {
                double quad = 2.0 - 2.0 * kij; if (quad <= 0) quad = Tau;
                double delta = (-grad[i] - grad[j]) / quad, diff = alpha[i] - alpha[j];
                alpha[i] += delta; alpha[j] += delta;
                if (diff > 0) { if (alpha[j] < 0) { alpha[j] = 0; alpha[i] = diff; } }
                else if (alpha[i] < 0) { alpha[i] = 0; alpha[j] = -diff; }
                if (diff > 0) { if (alpha[i] > c) { alpha[i] = c; alpha[j] = c - diff; } }
                else if (alpha[j] > c) { alpha[j] = c; alpha[i] = c + diff; }
            }
            else
            {
                double quad = 2.0 - 2.0 * kij; if (quad <= 0) quad = Tau;
                double delta = (grad[i] - grad[j]) / quad, sum = alpha[i] + alpha[j];
                alpha[i] -= delta; alpha[j] += delta;
                if (sum > c) { if (alpha[i] > c) { alpha[i] = c; alpha[j] = sum - c; } }
                else if (alpha[j] < 0) { alpha[j] = 0; alpha[i] = sum; }
                if (sum > c) { if (alpha[j] > c) { alpha[j] = c; alpha[i] = sum - c; } }
                else if (alpha[i] < 0) { alpha[i] = 0; alpha[j] = sum; }
            }
            double dAi = alpha[i] - oldAi, dAj = alpha[j] - oldAj;
            for (int t = 0; t < n; t++)
                grad[t] += s[t] * (s[i] * ki[t] * dAi + s[j] * kj[t] * dAj);
        }

        // ρ: the mean of y·G over free α, else the midpoint of the feasible interval (libsvm's calculate_rho)
        double ub = double.PositiveInfinity, lb = double.NegativeInfinity, sumFree = 0; int free = 0;
        for (int t = 0; t < n; t++)
        {
            double yg = s[t] * grad[t];
            if (alpha[t] >= c) { if (s[t] < 0) ub = Math.Min(ub, yg); else lb = Math.Max(lb, yg); }
            else if (alpha[t] <= 0) { if (s[t] > 0) ub = Math.Min(ub, yg); else lb = Math.Max(lb, yg); }
            else { free++; sumFree += yg; }
        }
        double rho = free > 0 ? sumFree / free : (ub + lb) / 2;
        var sv = Enumerable.Range(0, n).Where(t => alpha[t] > 0).ToArray();
        return new SupportVectorClassifier(sv.Select(t => rows[t]).ToArray(), sv.Select(t => alpha[t] * s[t]).ToArray(), rho, g, c, iterations, converged, alpha);
    }

    /// <summary>f(x) = Σᵢ αᵢyᵢ exp(−γ‖xᵢ − x‖²) − ρ.</summary>
    public double Decision(double[] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (supportVectors.Length > 0 && x.Length != supportVectors[0].Length)
            throw new ArgumentException($"x must have {supportVectors[0].Length} features; got {x.Length}.", nameof(x));
        double f = -Rho;
        for (int k = 0; k < supportVectors.Length; k++) f += coefficients[k] * Math.Exp(-Gamma * SquaredDistance(supportVectors[k], x));
        return f;
    }

    /// <summary>1 if f(x) &gt; 0, else 0.</summary>
    public int Predict(double[] x) => Decision(x) > 0 ? 1 : 0;

    static double SquaredDistance(double[] a, double[] b)
    {
        double s = 0;
        for (int k = 0; k < a.Length; k++) { double d = a[k] - b[k]; s += d * d; }
        return s;
    }

    /// <summary>Kernel columns computed on demand and cached up to a memory budget.</summary>
    sealed class KernelColumns(double[][] rows, double gamma)
    {
        readonly Dictionary<int, double[]> cache = [];
        readonly int capacity = Math.Max(2, (int)Math.Min(int.MaxValue, 64L * 1024 * 1024 / (8L * Math.Max(1, rows.Length))));

        public double[] Column(int i)
        {
            if (cache.TryGetValue(i, out var col)) return col;
            if (cache.Count >= capacity) cache.Clear();
            col = new double[rows.Length];
            for (int t = 0; t < rows.Length; t++) col[t] = Math.Exp(-gamma * SquaredDistance(rows[i], rows[t]));
            cache[i] = col;
            return col;
        }
    }
}
