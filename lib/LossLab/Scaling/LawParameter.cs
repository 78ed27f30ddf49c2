namespace LossLab.Scaling;

/// <summary>A named parameter of a <see cref="ScalingLaw"/>.</summary>
/// <param name="Name">The paper's symbol spelled out (A, E, alpha, N_c, …).</param>
/// <param name="Positive">True when the parameter must be positive; it is then fitted as its logarithm
/// (the "fit space" value is log p), as Hoffmann et al. (2022) fit a = log A, b = log B, e = log E.</param>
/// <param name="Description">What the parameter means.</param>
public sealed record LawParameter(string Name, bool Positive, string Description = "");
