using LossLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Optim;

/// <summary>Runs SAM (<see cref="Sam"/>) inside a loop that computes a loss, calls backward and then <c>step()</c> without a
/// closure, such as LossLab's <see cref="Trainer"/>. <see cref="Loss"/> computes the inner loss at w, back-propagates it,
/// moves the weights to w + ε̂ (<see cref="Sam.FirstStep"/>), zeroes the gradients and returns the inner loss of the same
/// batch at w + ε̂; the loop's backward then yields ∇L(w + ε̂) and <see cref="Sam.step"/> restores w and steps the base
/// optimizer. The loss the loop records is therefore the SAM loss L(w + ε̂), not L(w).</summary>
/// <param name="inner">The objective being minimised.</param>
/// <param name="sam">The SAM optimizer the loop steps.</param>
public sealed class SamObjective(ITrainingObjective inner, Sam sam) : ITrainingObjective
{
    readonly ITrainingObjective inner = inner ?? throw new ArgumentNullException(nameof(inner));
    readonly Sam sam = sam ?? throw new ArgumentNullException(nameof(sam));

    /// <summary>The loss at w of the most recent batch (the first pass).</summary>
    public double LastUnperturbedLoss { get; private set; } = double.NaN;

    /// <inheritdoc/>
    public Tensor Loss(Batch batch)
    {
        if (sam.IsPerturbed) throw new InvalidOperationException("The previous SAM step was not completed: call step() after backward.");
        using (torch.enable_grad())
        {
            var first = inner.Loss(batch);
            LastUnperturbedLoss = first.ToDouble();
            if (!double.IsFinite(LastUnperturbedLoss)) return first;    // let the loop's guard stop before any move
            first.backward();
        }
        sam.FirstStep();
        sam.zero_grad();
        return inner.Loss(batch);
    }
}
