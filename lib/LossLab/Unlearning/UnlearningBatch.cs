using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// What one unlearning step sees: a mini-batch of the forget set D_f and one of the retain set D_r, and the step's index
/// (0-based) within the run's fixed budget. The tensors belong to the step's dispose scope.
/// </summary>
/// <param name="ForgetX">Forget inputs, (B_f, …).</param>
/// <param name="ForgetY">Forget labels, (B_f) int64.</param>
/// <param name="RetainX">Retain inputs, (B_r, …); B_r may be 0.</param>
/// <param name="RetainY">Retain labels, (B_r) int64.</param>
/// <param name="Step">The step index, 0 ≤ step &lt; budget.</param>
/// <param name="ForgetIndex">The positions (B_f) int64 of the forget samples in D_f, for per-sample state (static
/// LoReUn weights, fixed random labels); null when the batch does not come from an indexed forget set.</param>
public sealed record UnlearningBatch(Tensor ForgetX, Tensor ForgetY, Tensor RetainX, Tensor RetainY, int Step, Tensor? ForgetIndex = null);
