namespace LossLab.Scaling;

/// <summary>
/// A smooth objective f: ℝⁿ → ℝ with its gradient, kept apart from the algorithm that minimises it (the shape of
/// MathNet.Numerics' <c>IObjectiveFunction</c>, without its per-evaluation allocations). Implementations must be safe
/// to call from several threads at once, so that starts of a multi-start fit can run in parallel.
/// </summary>
public interface IDifferentiableObjective
{
    /// <summary>The number of variables n.</summary>
    int Dimension { get; }

    /// <summary>Returns f(x) and writes ∇f(x) into <paramref name="gradient"/> (length n). A point outside the domain
    /// returns a non-finite value (the line search then shortens its step).</summary>
    double Evaluate(ReadOnlySpan<double> x, Span<double> gradient);
}
