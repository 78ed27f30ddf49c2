using static TorchSharp.torch;

namespace LossLab.Training;

/// <summary>One mini-batch as the trainer hands it to an objective: inputs, targets, and where in training it falls.</summary>
/// <param name="Inputs">The inputs (B, …); they belong to the step's dispose scope.</param>
/// <param name="Targets">The targets (B, …): class labels, token ids or whatever the objective compares against.</param>
/// <param name="Step">The 0-based optimizer step this batch is for.</param>
/// <param name="Epoch">The 0-based epoch.</param>
public readonly record struct Batch(Tensor Inputs, Tensor Targets, long Step, int Epoch);
