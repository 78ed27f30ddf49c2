namespace LossLab.Experiments.Optimization;

/// <summary>One run of <see cref="SharpnessBench"/>.</summary>
/// <param name="Optimizer">The arm.</param>
/// <param name="Noise">The fraction of training labels flipped.</param>
/// <param name="Seed">The seed of the label noise, the initialisation and the batch order.</param>
/// <param name="TestAccuracy">Accuracy on the evaluation set after training.</param>
/// <param name="InitialAccuracy">Accuracy on the evaluation set of the same network before training (the untrained
/// reference point of the seed).</param>
/// <param name="TrainLoss">The full training loss (on the noisy labels) at the last measurement.</param>
/// <param name="LambdaMax">λ_max of the training loss's Hessian at the last measurement.</param>
/// <param name="Trace">Hutchinson's estimate of the Hessian's trace at the last measurement.</param>
/// <param name="RhoSharpness">One-step ρ-sharpness L(w + ε̂) − L(w) at the last measurement.</param>
/// <param name="TrainSeconds">Wall-clock of the training steps alone (measurements excluded).</param>
/// <param name="Steps">Optimizer steps taken.</param>
/// <param name="Epochs">The epochs after which the sharpness was measured.</param>
/// <param name="Lambdas">λ_max at each of those epochs.</param>
public sealed record SharpnessRun(string Optimizer, double Noise, int Seed, double TestAccuracy, double InitialAccuracy,
    double TrainLoss, double LambdaMax, double Trace, double RhoSharpness, double TrainSeconds, long Steps, double[] Epochs,
    double[] Lambdas);
