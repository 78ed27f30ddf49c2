namespace LossLab.Scaling;

/// <summary>The outcome of one <see cref="LbfgsMinimizer"/> run (the minimising point is written to the caller's span).</summary>
/// <param name="Value">f at the returned point.</param>
/// <param name="GradientNorm">‖∇f‖∞ at the returned point.</param>
/// <param name="Iterations">L-BFGS iterations taken.</param>
/// <param name="Evaluations">Evaluations of f and ∇f.</param>
/// <param name="Exit">Why it stopped.</param>
public readonly record struct LbfgsOutcome(double Value, double GradientNorm, int Iterations, int Evaluations, ExitReason Exit);
