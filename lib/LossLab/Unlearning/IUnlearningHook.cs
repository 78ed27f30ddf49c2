using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// A part of an unlearning method that acts outside the loss: before the run (snapshot the original weights), after
/// <c>backward()</c> (mask or rewrite gradients) and after the optimizer step (constrain parameters). Hooks run in the
/// order given; the tensors they keep across steps are detached from dispose scopes and freed by <c>Dispose</c>.
/// </summary>
public interface IUnlearningHook : IDisposable
{
    /// <summary>Called once, before the first step, with the model in its original state θ₀.</summary>
    void Begin(nn.Module<Tensor, Tensor> model) { }

    /// <summary>Called after the gradients of a step are computed and before the optimizer step.</summary>
    void AfterBackward(nn.Module<Tensor, Tensor> model, UnlearningBatch batch) { }

    /// <summary>Called after the optimizer step.</summary>
    void AfterStep(nn.Module<Tensor, Tensor> model, UnlearningBatch batch) { }
}
