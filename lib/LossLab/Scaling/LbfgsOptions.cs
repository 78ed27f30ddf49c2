namespace LossLab.Scaling;

/// <summary>Settings of <see cref="LbfgsMinimizer"/>.</summary>
/// <param name="Memory">Number m of correction pairs (s, y) kept (Nocedal and Wright use 3–20; SciPy's default is 10).</param>
/// <param name="GradientTolerance">Stop when ‖∇f‖∞ ≤ this.</param>
/// <param name="FunctionTolerance">Stop when an iteration lowers f by at most this fraction of |f|:
/// (f_k − f_{k+1}) ≤ tol·max(|f_k|, |f_{k+1}|). Unlike SciPy's <c>ftol</c> there is no floor of 1 under the
/// denominator, so objectives far below 1 (a sum of Huber losses of small residuals) are still minimised to full precision.</param>
/// <param name="MaxIterations">Stop after this many iterations.</param>
/// <param name="MaxLineSearchEvaluations">Evaluations allowed to one line search before it gives up.</param>
public sealed record LbfgsOptions(
    int Memory = 10,
    double GradientTolerance = 1e-10,
    double FunctionTolerance = 1e-13,
    int MaxIterations = 1000,
    int MaxLineSearchEvaluations = 30)
{
    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public LbfgsOptions Validated()
    {
        if (Memory < 1) throw new ArgumentOutOfRangeException(nameof(Memory), Memory, "Memory must be at least 1.");
        Guard.NonNegative(GradientTolerance, nameof(GradientTolerance));
        Guard.NonNegative(FunctionTolerance, nameof(FunctionTolerance));
        if (MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "MaxIterations must be at least 1.");
        if (MaxLineSearchEvaluations < 2)
            throw new ArgumentOutOfRangeException(nameof(MaxLineSearchEvaluations), MaxLineSearchEvaluations, "MaxLineSearchEvaluations must be at least 2.");
        return this;
    }
}
