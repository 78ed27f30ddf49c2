namespace LossLab.Scaling;

/// <summary>
/// The fitting objective of a law over points, in fit space θ: f(θ) = Σᵢ wᵢ·ρ(log L̂(xᵢ; θ) − log Lᵢ), or that sum divided
/// by Σ wᵢ (the mean, Hoffmann et al.'s choice that Besiroglu et al. show stops L-BFGS-B early). ρ is a
/// <see cref="ResidualLoss"/>; the weights wᵢ default to 1 (a bootstrap resample passes the multiplicity of each point).
/// The gradient is exact (the law's analytic ∂ log L̂/∂θ, computed for all points at once by
/// <see cref="ScalingLaw.LogValues"/>). Evaluation reuses per-thread buffers, allocates nothing once warm, and is thread-safe.
/// </summary>
public sealed class LawObjective : IDifferentiableObjective
{
    [ThreadStatic] static double[]? valuesBuffer, jacobianBuffer;

    readonly ScalingLaw law;
    readonly double[] featureColumns, logLosses, weights;
    readonly int count;
    readonly ResidualLoss loss;
    readonly double scale;
    readonly bool unitWeights;

    /// <summary>The objective of <paramref name="law"/> on <paramref name="points"/>.</summary>
    /// <exception cref="ArgumentException">The points' input count differs from the law's, the weights' length differs
    /// from the number of points, a weight is negative, or an input is outside the law's domain.</exception>
    public LawObjective(ScalingLaw law, LawPoints points, ResidualLoss? loss = null, bool mean = false, IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(law);
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count > 0 && points.InputCount != law.InputCount)
            throw new ArgumentException($"{law.Name} takes {law.InputCount} input(s) ({string.Join(", ", law.Inputs)}); the points have {points.InputCount}.", nameof(points));
        if (weights is not null && weights.Count != points.Count)
            throw new ArgumentException($"weights must have one value per point: {points.Count} points, {weights.Count} weights.", nameof(weights));
        this.law = law;
        this.loss = loss ?? ResidualLoss.Huber();
        count = points.Count;
        int featureCount = law.FeatureCount;
        featureColumns = new double[count * featureCount];
        logLosses = new double[count];
        this.weights = new double[count];
        Span<double> point = stackalloc double[featureCount];
        double total = 0;
        unitWeights = true;
        for (int i = 0; i < count; i++)
        {
            law.Prepare(points.Input(i), point);
            for (int k = 0; k < featureCount; k++) featureColumns[k * count + i] = point[k];
            logLosses[i] = Math.Log(points.Loss(i));
            double w = weights?[i] ?? 1.0;
            if (!(w >= 0) || !double.IsFinite(w)) throw new ArgumentOutOfRangeException(nameof(weights), w, $"weights[{i}] must be non-negative and finite.");
            this.weights[i] = w;
            unitWeights &= w == 1.0;
            total += w;
        }
        Mean = mean;
        scale = mean && total > 0 ? 1.0 / total : 1.0;
    }

    /// <summary>The law.</summary>
    public ScalingLaw Law => law;

    /// <summary>The residual penalty.</summary>
    public ResidualLoss Loss => loss;

    /// <summary>True when the objective is the weighted mean rather than the sum.</summary>
    public bool Mean { get; }

    /// <summary>The number of points.</summary>
    public int Count => count;

    /// <inheritdoc/>
    public int Dimension => law.ParameterCount;

    /// <inheritdoc/>
    public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        int p = law.ParameterCount, n = count;
        if (valuesBuffer is null || valuesBuffer.Length < n) valuesBuffer = new double[n];
        if (jacobianBuffer is null || jacobianBuffer.Length < n * p) jacobianBuffer = new double[n * p];
        var values = valuesBuffer.AsSpan(0, n);
        var jacobian = jacobianBuffer.AsSpan(0, n * p);
        law.LogValues(x, featureColumns, values, jacobian);

        // values ← wᵢ·ρ′(rᵢ) after accumulating Σ wᵢ·ρ(rᵢ).
        double sum = 0, delta = loss.Delta;
        for (int i = 0; i < n; i++)
        {
            double r = values[i] - logLosses[i], w = unitWeights ? 1.0 : weights[i];
            double a = Math.Abs(r);
            if (a <= delta) { sum += w * 0.5 * r * r; values[i] = w * r; }
            else { sum += w * delta * (a - 0.5 * delta); values[i] = w * Math.CopySign(delta, r); }
        }
        if (!double.IsFinite(sum)) return double.NaN;
        for (int j = 0; j < p; j++)
        {
            var column = jacobian.Slice(j * n, n);
            double g = 0;
            for (int i = 0; i < n; i++) g += values[i] * column[i];
            gradient[j] = g * scale;
        }
        return sum * scale;
    }

    /// <summary>f(θ) without the gradient.</summary>
    public double Value(ReadOnlySpan<double> x)
    {
        Span<double> g = stackalloc double[law.ParameterCount];
        return Evaluate(x, g);
    }

    /// <summary>The residuals log L̂(xᵢ; θ) − log Lᵢ.</summary>
    public double[] Residuals(ReadOnlySpan<double> x)
    {
        var r = new double[count];
        law.LogValues(x, featureColumns, r, []);
        for (int i = 0; i < count; i++) r[i] -= logLosses[i];
        return r;
    }
}
