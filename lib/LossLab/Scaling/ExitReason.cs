namespace LossLab.Scaling;

/// <summary>Why a minimisation stopped.</summary>
public enum ExitReason
{
    /// <summary>‖∇f‖∞ fell below the gradient tolerance.</summary>
    GradientTolerance,
    /// <summary>An iteration lowered f by less than the relative function tolerance.</summary>
    FunctionTolerance,
    /// <summary>The iteration limit was reached.</summary>
    MaxIterations,
    /// <summary>The line search found no acceptable step (typically at the limit of floating-point precision).</summary>
    LineSearchFailed,
    /// <summary>f was not finite at the start.</summary>
    NonFiniteStart,
}

/// <summary>Extensions of <see cref="ExitReason"/>.</summary>
public static class ExitReasonExtensions
{
    /// <summary>True when the minimiser stopped at a point it judged stationary (a tolerance was met, or the line search
    /// could not improve on the point) rather than by running out of iterations or starting outside the domain.</summary>
    public static bool Converged(this ExitReason reason) =>
        reason is ExitReason.GradientTolerance or ExitReason.FunctionTolerance or ExitReason.LineSearchFailed;
}
