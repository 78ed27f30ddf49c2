namespace LossLab.Experiments.Unlearning;

/// <summary>One checkpoint of an unlearning run's forget/retain trajectory (percent).</summary>
/// <param name="Step">Steps taken (0: the original model).</param>
/// <param name="ForgetAccuracy">FA on D_f.</param>
/// <param name="RetainAccuracy">RA on D_r.</param>
public readonly record struct TrajectoryPoint(int Step, double ForgetAccuracy, double RetainAccuracy);
