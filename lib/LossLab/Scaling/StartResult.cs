namespace LossLab.Scaling;

/// <summary>The result of one start of a multi-start fit.</summary>
/// <param name="Index">The start's position in the grid.</param>
/// <param name="Start">The initial point (fit space).</param>
/// <param name="FitSpace">The point reached (fit space).</param>
/// <param name="Parameters">The point reached, natural parameter values.</param>
/// <param name="Objective">The objective there.</param>
/// <param name="GradientNorm">‖∇f‖∞ there.</param>
/// <param name="Iterations">L-BFGS iterations.</param>
/// <param name="Evaluations">Objective-and-gradient evaluations.</param>
/// <param name="Exit">Why the minimiser stopped.</param>
public sealed record StartResult(int Index, double[] Start, double[] FitSpace, double[] Parameters, double Objective,
    double GradientNorm, int Iterations, int Evaluations, ExitReason Exit)
{
    /// <summary>True when the start ended at a finite objective at a point the minimiser judged stationary.</summary>
    public bool Converged => Exit.Converged() && double.IsFinite(Objective);
}
